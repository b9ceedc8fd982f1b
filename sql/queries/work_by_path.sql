-- description: Work done in one working directory (one checkout), newest first (ikigai: WHERE path = '/home/mgreenly/projects/ikigai/main').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: path text  Absolute working directory
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    m.project,
    m.agent,
    m.role,
    m.content,
    m.machine,
    m.user_name
from chat.message_log as m
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.path = :path
order by m.created_at desc, m.id desc
limit :limit
