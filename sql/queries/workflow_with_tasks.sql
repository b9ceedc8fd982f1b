-- description: A workflow with its tasks as a JSON array in creation order (Tokyo-IA: json_agg(t.*) ... GROUP BY w.id).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: workflow uuid  The workflow id
select
    w.id,
    w.name,
    w.status,
    w.total_tasks,
    w.completed_tasks,
    w.failed_tasks,
    w.total_tokens,
    w.total_cost_usd,
    w.duration_ms,
    -- the tasks by a correlated sub-select, not a left join and group by (on Citus a left
    -- join of two distributed tables whose tenant is a sub-select is a "complex join")
    coalesce((
        select jsonb_agg(to_jsonb(t.*) - 'tenant_id' order by t.created_at, t.id)
        from work.tasks as t
        where t.tenant_id = w.tenant_id and t.workflow_id = w.id
    ), '[]'::jsonb) as tasks
from work.workflows as w
where
    w.tenant_id = (select core.resolve_tenant(:tenant))
    and w.id = :workflow
