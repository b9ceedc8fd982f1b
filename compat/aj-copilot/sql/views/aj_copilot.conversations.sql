-- AJ Copilot conversations: chat.conversations under AJ's name; a write passes through to chat.conversations (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.conversations
with (security_invoker = true)
as
select
    c.id,
    c.tenant_id as organization_id,
    c.user_id,
    c.agent_id,
    c.project_id,
    c.title,
    c.sharing,
    c.message_count,
    c.last_activity_at,
    c.metadata,
    c.created_at,
    c.updated_at,
    c.archived_at
from chat.conversations as c;

comment on view aj_copilot.conversations is 'Chat sessions (chat.conversations): private, or shared within the organization; updatable: a write passes through to chat.conversations';
comment on column aj_copilot.conversations.id is 'chat.conversations.id';
comment on column aj_copilot.conversations.organization_id is 'chat.conversations.tenant_id';
comment on column aj_copilot.conversations.user_id is 'chat.conversations.user_id';
comment on column aj_copilot.conversations.agent_id is 'chat.conversations.agent_id';
comment on column aj_copilot.conversations.project_id is 'chat.conversations.project_id';
comment on column aj_copilot.conversations.title is 'chat.conversations.title';
comment on column aj_copilot.conversations.sharing is 'chat.conversations.sharing';
comment on column aj_copilot.conversations.message_count is 'chat.conversations.message_count';
comment on column aj_copilot.conversations.last_activity_at is 'chat.conversations.last_activity_at';
comment on column aj_copilot.conversations.metadata is 'chat.conversations.metadata';
comment on column aj_copilot.conversations.created_at is 'chat.conversations.created_at';
comment on column aj_copilot.conversations.updated_at is 'chat.conversations.updated_at';
comment on column aj_copilot.conversations.archived_at is 'chat.conversations.archived_at';
