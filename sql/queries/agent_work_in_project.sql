-- description: One agent's work in a project, newest first (ikigai: WHERE agent_id = 42 AND project = 'ikigai').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: project text  Project name
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    p.name as project,
    a.name as agent,
    m.role,
    m.content,
    m.tags,
    m.focus,
    m.machine,
    m.user_name,
    m.path
from chat.messages as m
inner join core.projects as p on m.tenant_id = p.tenant_id and m.project_id = p.id
inner join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and (a.slug = :agent or a.name = :agent or a.id::text = :agent)
    and p.name = :project
order by m.created_at desc, m.id desc
limit :limit
