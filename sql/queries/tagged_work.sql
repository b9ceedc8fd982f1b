-- description: Work carrying all the given tags, across agents and projects, newest first (ikigai: WHERE tags CONTAINS 'oauth-implementation').
-- param: tenant text = personal  Tenant slug, id or external id
-- param: tags text[]  Tags every message must carry (comma-separated)
-- param: limit integer = 100  Most messages to return
select
    m.created_at,
    p.name as project,
    a.name as agent,
    m.role,
    m.content,
    m.tags,
    m.focus
from chat.messages as m
left join core.projects as p on m.tenant_id = p.tenant_id and m.project_id = p.id
left join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.tags @> :tags
order by m.created_at desc, m.id desc
limit :limit
