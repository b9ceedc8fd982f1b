-- description: An agent's most recent tasks (Tokyo-IA: ORDER BY created_at DESC LIMIT 20).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: limit integer = 20  Most tasks to return
select
    t.id,
    t.task_type,
    t.description,
    t.status,
    t.created_at,
    t.duration_ms,
    t.tokens_used,
    t.cost_usd,
    t.retry_count,
    t.error_message
from work.tasks as t
inner join agents.agents as a on t.tenant_id = a.tenant_id and t.agent_id = a.id
where
    t.tenant_id = (select core.resolve_tenant(:tenant))
    and (a.slug = :agent or a.name = :agent or a.id::text = :agent)
order by t.created_at desc, t.id desc
limit :limit
