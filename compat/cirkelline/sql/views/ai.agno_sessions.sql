-- cirkelline's chat sessions: agentdb's chat.conversations.
-- depends: ai.tg_agno_sessions
create or replace view ai.agno_sessions
with (security_invoker = true)
as
select
    c.id,
    c.id as session_id,
    coalesce(u.external_id, u.id::text) as user_id,
    c.title as name,
    c.created_at,
    coalesce(c.last_activity_at, c.updated_at) as updated_at,
    c.archived_at is not null as is_archived
from chat.conversations as c
left join core.users as u on c.tenant_id = u.tenant_id and c.user_id = u.id;

create or replace trigger ai_agno_sessions_write instead of insert or update or delete on ai.agno_sessions
for each row execute function ai.tg_agno_sessions();

comment on view ai.agno_sessions is 'cirkelline chat sessions (chat.conversations): session_id is the conversation id, name its title (from the first message), is_archived its soft delete';
comment on column ai.agno_sessions.id is 'The conversation id (cirkelline''s serial id has no counterpart)';
comment on column ai.agno_sessions.session_id is 'The conversation id';
comment on column ai.agno_sessions.user_id is 'The owner''s external id (else id)';
comment on column ai.agno_sessions.name is 'Session title, from the first message';
comment on column ai.agno_sessions.created_at is 'Session start';
comment on column ai.agno_sessions.updated_at is 'Last message time (else last change)';
comment on column ai.agno_sessions.is_archived is 'Soft-deleted (archived_at set)';
