-- description: One agent's statistics over a time window from its tasks (Tokyo-IA: tasks, average latency, tokens, cost of completed tasks in the last 24 hours), with failed tasks and success rate.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: since timestamptz = null  Window start (default: 24 hours ago)
-- param: until timestamptz = null  Window end (default: now)
-- the tasks' figures in a lateral aggregate (one row per agent, zeros when it has none),
-- not a left join and group by: on Citus a left join of two distributed tables whose tenant
-- is a sub-select is a "complex join" it refuses
select
    a.slug,
    a.name,
    s.tasks_completed,
    s.tasks_failed,
    s.average_latency_ms,
    s.total_tokens,
    s.total_cost_usd,
    s.success_rate
from agents.agents as a
cross join lateral (
    select
        count(*) filter (where t.status = 'completed') as tasks_completed,
        count(*) filter (where t.status = 'failed') as tasks_failed,
        round(avg(t.duration_ms) filter (where t.status = 'completed'), 1) as average_latency_ms,
        coalesce(sum(t.tokens_used) filter (where t.status = 'completed'), 0)::bigint as total_tokens,
        coalesce(sum(t.cost_usd) filter (where t.status = 'completed'), 0) as total_cost_usd,
        round(
            100.0 * count(*) filter (where t.status = 'completed')
            / nullif(count(*) filter (where t.status in ('completed', 'failed')), 0), 2
        ) as success_rate
    from work.tasks as t
    where
        t.tenant_id = a.tenant_id
        and t.agent_id = a.id
        and t.created_at >= coalesce(:since, now() - interval '24 hours')
        and t.created_at < coalesce(:until, now())
) as s
where
    a.tenant_id = (select core.resolve_tenant(:tenant))
    and (a.slug = :agent or a.name = :agent or a.id::text = :agent)
