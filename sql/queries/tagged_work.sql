-- description: Work carrying all the given tags, across agents and projects, newest first (ikigai: WHERE tags CONTAINS 'oauth-implementation').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: tags text[]  Tags every message must carry (comma-separated)
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    m.project,
    m.agent,
    m.role,
    m.content,
    m.tags,
    m.focus
from chat.message_log as m
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.tags @> :tags
order by m.created_at desc, m.id desc
limit :limit
