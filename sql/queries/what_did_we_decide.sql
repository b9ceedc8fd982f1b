-- description: "What did we decide about X?" (ikigai): messages of a project tagged X, or whose focus or text mentions X, newest first.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: project text = null  Project name (all projects when empty)
-- param: topic text  The subject, e.g. oauth
-- param: limit integer = 20  Most messages to return
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
    and (:project is null or p.name = :project)
    and (
        m.tags @> array[lower(:topic)]
        or m.focus ilike '%' || :topic || '%'
        or m.search_text @@ websearch_to_tsquery('english', :topic)
    )
order by m.created_at desc, m.id desc
limit :limit
