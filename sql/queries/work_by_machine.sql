-- description: Work from one machine by one user, newest first (ikigai: WHERE machine = 'workstation' AND user = 'mgreenly').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: machine text  Host name the client ran on
-- param: user_name text  User who ran the client
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    p.name as project,
    a.name as agent,
    m.role,
    m.content,
    m.path
from chat.messages as m
left join core.projects as p on m.tenant_id = p.tenant_id and m.project_id = p.id
left join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.machine = :machine
    and m.user_name = :user_name
order by m.created_at desc, m.id desc
limit :limit
