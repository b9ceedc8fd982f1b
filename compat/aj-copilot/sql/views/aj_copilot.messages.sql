-- AJ Copilot messages: chat.messages under AJ's name; a write passes through to chat.messages (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.messages
with (security_invoker = true)
as
select
    m.id,
    m.tenant_id as organization_id,
    m.conversation_id,
    m.agent_id,
    m.user_id,
    m.role,
    m.content,
    m.parts,
    m.token_count,
    m.metadata,
    m.created_at
from chat.messages as m;

comment on view aj_copilot.messages is 'Chat messages with rich content (chat.messages, partitioned by month): parts holds text, images, documents, charts; updatable: a write passes through to chat.messages';
comment on column aj_copilot.messages.id is 'chat.messages.id';
comment on column aj_copilot.messages.organization_id is 'chat.messages.tenant_id';
comment on column aj_copilot.messages.conversation_id is 'chat.messages.conversation_id';
comment on column aj_copilot.messages.agent_id is 'chat.messages.agent_id';
comment on column aj_copilot.messages.user_id is 'chat.messages.user_id';
comment on column aj_copilot.messages.role is 'chat.messages.role';
comment on column aj_copilot.messages.content is 'chat.messages.content';
comment on column aj_copilot.messages.parts is 'chat.messages.parts';
comment on column aj_copilot.messages.token_count is 'chat.messages.token_count';
comment on column aj_copilot.messages.metadata is 'chat.messages.metadata';
comment on column aj_copilot.messages.created_at is 'chat.messages.created_at';
