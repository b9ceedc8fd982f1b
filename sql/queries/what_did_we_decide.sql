-- description: "What did we decide about X?" (ikigai): messages of a project tagged X, or whose focus or text mentions X, newest first.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: project text = null  Project name (all projects when empty)
-- param: topic text  The subject, e.g. oauth
-- param: limit integer = 20  Most messages to return
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
    and (:project is null or m.project = :project)
    and (
        m.tags @> array[lower(:topic)]
        or m.focus ilike '%' || :topic || '%'
        or m.search_text @@ websearch_to_tsquery('english', :topic)
    )
order by m.created_at desc, m.id desc
limit :limit
