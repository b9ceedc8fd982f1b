-- description: Work from one machine by one user, newest first (ikigai: WHERE machine = 'workstation' AND user = 'mgreenly').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: machine text  Host name the client ran on
-- param: user_name text  User who ran the client
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    m.project,
    m.agent,
    m.role,
    m.content,
    m.path
from chat.message_log as m
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.machine = :machine
    and m.user_name = :user_name
order by m.created_at desc, m.id desc
limit :limit
