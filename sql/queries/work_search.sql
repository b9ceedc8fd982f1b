-- description: Work matching any combination of project, agent, tags, machine, user and path within a time window, newest first (ikigai: project = 'ikigai' AND tags CONTAINS 'refactoring' AND timestamp > '2024-01-01'). Every filter left empty matches all.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: project text = null  Project name
-- param: agent text = null  Agent slug, name or id
-- param: tags text[] = null  Tags every message must carry (comma-separated)
-- param: machine text = null  Host name
-- param: user_name text = null  User who ran the client
-- param: path text = null  Working directory
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
    and (:project is null or m.project = :project)
    and (:agent is null or m.agent_slug = :agent or m.agent = :agent or m.agent_id::text = :agent)
    and (:tags is null or m.tags @> :tags)
    and (:machine is null or m.machine = :machine)
    and (:user_name is null or m.user_name = :user_name)
    and (:path is null or m.path = :path)
    and (:since is null or m.created_at >= :since)
    and (:until is null or m.created_at < :until)
order by m.created_at desc, m.id desc
limit :limit
