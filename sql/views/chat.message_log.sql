-- Messages with their project and agent by name: what the message named queries read.
create or replace view chat.message_log
with (security_invoker = true)
as
select
    m.tenant_id,
    m.id,
    m.created_at,
    m.conversation_id,
    m.agent_id,
    a.slug as agent_slug,
    a.name as agent,
    m.role,
    m.content,
    m.tags,
    m.focus,
    m.user_name,
    m.machine,
    m.path,
    m.git_remote,
    m.project_id,
    p.name as project,
    m.context_span_id,
    m.search_text
from chat.messages as m
left join core.projects as p on m.tenant_id = p.tenant_id and m.project_id = p.id
left join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id;

comment on view chat.message_log is
'chat.messages with the project name and the agent''s slug and name joined in (the joins are dropped by the planner when unused); filters on created_at still prune partitions';
comment on column chat.message_log.tenant_id is 'Owning tenant';
comment on column chat.message_log.id is 'Message id';
comment on column chat.message_log.created_at is 'When the message was written';
comment on column chat.message_log.conversation_id is 'Conversation';
comment on column chat.message_log.agent_id is 'Agent id';
comment on column chat.message_log.agent_slug is 'Agent slug';
comment on column chat.message_log.agent is 'Agent name';
comment on column chat.message_log.role is 'Message role';
comment on column chat.message_log.content is 'Message text';
comment on column chat.message_log.tags is 'Tags';
comment on column chat.message_log.focus is 'Focus';
comment on column chat.message_log.user_name is 'User who ran the client';
comment on column chat.message_log.machine is 'Host of the client';
comment on column chat.message_log.path is 'Working directory of the client';
comment on column chat.message_log.git_remote is 'Git remote of the working directory';
comment on column chat.message_log.project_id is 'Project id';
comment on column chat.message_log.project is 'Project name';
comment on column chat.message_log.context_span_id is 'Context span';
comment on column chat.message_log.search_text is 'Full-text vector of the content';
