-- description: All work on a project, newest first (ikigai: WHERE project = 'ikigai').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: project text  Project name, e.g. ikigai or @mgreenly
-- param: since timestamptz = null  Only messages at or after this time
-- param: until timestamptz = null  Only messages before this time
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
    and m.project = :project
    and (:since is null or m.created_at >= :since)
    and (:until is null or m.created_at < :until)
order by m.created_at desc, m.id desc
limit :limit
