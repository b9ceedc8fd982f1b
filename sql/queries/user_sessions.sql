-- description: A user's chat sessions that are not archived, newest first (cirkelline: WHERE user_id = ... AND is_archived = FALSE ORDER BY created_at DESC).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: user text  The user's email, username, external id or id
-- param: limit integer = 50  Most sessions to return
select
    c.id,
    c.title,
    c.created_at,
    c.last_activity_at,
    c.message_count,
    -- the agent's name by a correlated look-up, not a left join (on Citus a left join of two
    -- distributed tables whose tenant is a sub-select is a "complex join" it refuses)
    (select a.name from agents.agents as a where a.tenant_id = c.tenant_id and a.id = c.agent_id) as agent
from chat.conversations as c
inner join core.users as u on c.tenant_id = u.tenant_id and c.user_id = u.id
where
    c.tenant_id = (select core.resolve_tenant(:tenant))
    and (lower(u.email) = lower(:user) or lower(u.username) = lower(:user) or u.external_id = :user or u.id::text = :user)
    and c.archived_at is null
order by c.created_at desc, c.id desc
limit :limit
