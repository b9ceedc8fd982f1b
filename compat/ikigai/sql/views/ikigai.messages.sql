-- ikigai messages with their identity: agentdb's chat.messages.
-- depends: ikigai.tg_messages
create or replace view ikigai.messages
with (security_invoker = true)
as
select
    m.id,
    (a.metadata ->> 'ikigai_id')::bigint as agent_id,
    m.role,
    m.content,
    m.user_name,
    m.machine,
    m.path,
    m.git_remote,
    p.name as project,
    m.context_span_id,
    m.tags,
    m.focus,
    m.created_at,
    m.created_at as "timestamp"
from chat.messages as m
left join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
left join core.projects as p on m.tenant_id = p.tenant_id and m.project_id = p.id;

create or replace trigger ikigai_messages_write instead of insert or update or delete on ikigai.messages
for each row execute function ikigai.tg_messages();

comment on view ikigai.messages is 'ikigai messages (chat.messages, partitioned by month) with their identity: user, machine, path, git remote, project, context span, tags, focus';
comment on column ikigai.messages.id is 'Message id (uuid)';
comment on column ikigai.messages.agent_id is 'ikigai''s integer id of the agent';
comment on column ikigai.messages.role is 'user or assistant (also system, tool, agent)';
comment on column ikigai.messages.content is 'Message text';
comment on column ikigai.messages.user_name is 'Who ran the client (mgreenly)';
comment on column ikigai.messages.machine is 'Host';
comment on column ikigai.messages.path is 'Working directory';
comment on column ikigai.messages.git_remote is 'Default push remote';
comment on column ikigai.messages.project is 'Project name (from the remote, @user outside a repository, or given)';
comment on column ikigai.messages.context_span_id is 'Context span (uuid)';
comment on column ikigai.messages.tags is 'Tags in force';
comment on column ikigai.messages.focus is 'Focus in force';
comment on column ikigai.messages.created_at is 'When it was written';
comment on column ikigai.messages.timestamp is 'created_at, under the name the document''s RAG examples use';
