-- description: All work on a project, newest first (ikigai: WHERE project = 'ikigai').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: project text  Project name, e.g. ikigai or @mgreenly
-- param: since timestamptz = null  Only messages at or after this time
-- param: until timestamptz = null  Only messages before this time
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
left join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and p.name = :project
    and (:since is null or m.created_at >= :since)
    and (:until is null or m.created_at < :until)
order by m.created_at desc, m.id desc
limit :limit
