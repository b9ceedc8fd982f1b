-- description: Active agents (Tokyo-IA: SELECT * FROM agents WHERE status = 'active').
-- param: tenant text = personal  Tenant slug, id or external id
select
    a.slug,
    a.name,
    a.role,
    a.model,
    a.specialties,
    a.visibility,
    a.created_at
from agents.agents as a
where
    a.tenant_id = (select core.resolve_tenant(:tenant))
    and a.status = 'active'
    and a.archived_at is null
order by a.name
