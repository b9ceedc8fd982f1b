-- description: Each workflow's task counters and totals equal what its tasks say.
-- severity: error
-- fix: a trigger was bypassed; recompute with an update from work.tasks and find what wrote around it
select
    w.id as workflow,
    w.total_tasks,
    coalesce(t.total, 0) as tasks,
    w.completed_tasks,
    coalesce(t.completed, 0) as completed,
    w.failed_tasks,
    coalesce(t.failed, 0) as failed
from work.workflows as w
left join lateral (
    select
        count(*) as total,
        count(*) filter (where x.status = 'completed') as completed,
        count(*) filter (where x.status = 'failed') as failed,
        coalesce(sum(x.tokens_used), 0) as tokens,
        coalesce(sum(x.cost_usd), 0) as cost
    from work.tasks as x
    where x.tenant_id = w.tenant_id and x.workflow_id = w.id
) as t on true
where
    (w.total_tasks, w.completed_tasks, w.failed_tasks, w.total_tokens, w.total_cost_usd)
    is distinct from (coalesce(t.total, 0), coalesce(t.completed, 0), coalesce(t.failed, 0), t.tokens, t.cost)
order by 1
