-- description: One agent's work in a project, newest first (ikigai: WHERE agent_id = 42 AND project = 'ikigai').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: project text  Project name
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    m.project,
    m.agent,
    m.role,
    m.content,
    m.tags,
    m.focus,
    m.machine,
    m.user_name,
    m.path
from chat.message_log as m
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and (m.agent_slug = :agent or m.agent = :agent or m.agent_id::text = :agent)
    and m.project = :project
order by m.created_at desc, m.id desc
limit :limit
