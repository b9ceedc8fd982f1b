-- description: Tasks that failed in a time window, with their errors, newest first.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: since timestamptz = null  Window start (default: 24 hours ago)
-- param: until timestamptz = null  Window end (default: now)
-- param: limit integer = 100  Most tasks to return
select
    t.id,
    -- the agent's name by a correlated look-up, not a left join: on Citus a left join of two
    -- distributed tables whose tenant is a sub-select is a "complex join" it refuses
    (select a.name from agents.agents as a where a.tenant_id = t.tenant_id and a.id = t.agent_id) as agent,
    t.task_type,
    t.description,
    t.error_message,
    t.retry_count,
    t.completed_at as failed_at,
    t.workflow_id
from work.tasks as t
where
    t.tenant_id = (select core.resolve_tenant(:tenant))
    and t.status = 'failed'
    and t.completed_at >= coalesce(:since, now() - interval '24 hours')
    and t.completed_at < coalesce(:until, now())
order by t.completed_at desc, t.id desc
limit :limit
