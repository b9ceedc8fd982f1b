-- Create chat: conversations, context spans (one open per agent), messages partitioned
-- by month with a default partition, files with their workspace path, message files.
-- requires: ops.tg_set_updated_at ops.ensure_time_partitions
-- requires: chat.tg_fill_message_identity chat.tg_touch_conversations

create table chat.conversations (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid,
    user_id uuid,
    project_id uuid,
    title text,
    sharing text not null default 'private',
    message_count integer not null default 0,
    last_activity_at timestamptz,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint conversations_pkey primary key (tenant_id, id),
    constraint conversations_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint conversations_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete set null (agent_id),
    constraint conversations_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint conversations_tenant_id_project_id_fkey foreign key (tenant_id, project_id)
    references core.projects (tenant_id, id) on delete set null (project_id),
    constraint conversations_sharing_check check (sharing in ('private', 'organization')),
    constraint conversations_message_count_check check (message_count >= 0),
    constraint conversations_metadata_check check (jsonb_typeof(metadata) = 'object')
);

create index conversations_tenant_id_user_id_created_at_idx
on chat.conversations (tenant_id, user_id, created_at desc) where archived_at is null;
create index conversations_tenant_id_user_id_idx on chat.conversations (tenant_id, user_id);
create index conversations_tenant_id_agent_id_last_activity_at_idx
on chat.conversations (tenant_id, agent_id, last_activity_at desc);
create index conversations_tenant_id_project_id_idx on chat.conversations (tenant_id, project_id);

comment on table chat.conversations is 'A chat session between users and agents (AJ conversations, cirkelline sessions, Heartwood conversation threads)';
comment on column chat.conversations.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column chat.conversations.id is 'Time-ordered id (ops.uuidv7)';
comment on column chat.conversations.agent_id is 'The agent conducting the conversation';
comment on column chat.conversations.user_id is 'The user who started it';
comment on column chat.conversations.project_id is 'Project the conversation belongs to (ikigai)';
comment on column chat.conversations.title is 'Title; set from the first user message by trigger while empty';
comment on column chat.conversations.sharing is 'private (its user) or organization (everyone in the tenant)';
comment on column chat.conversations.message_count is 'Messages so far, kept by trigger';
comment on column chat.conversations.last_activity_at is 'Time of the newest message, kept by trigger; null before the first message';
comment on column chat.conversations.metadata is 'Client data as a JSON object';
comment on column chat.conversations.created_at is 'When the conversation started';
comment on column chat.conversations.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column chat.conversations.archived_at is 'Soft delete: set when archived (cirkelline is_archived)';
comment on index chat.conversations_tenant_id_user_id_created_at_idx is 'A user''s live sessions, newest first';
comment on index chat.conversations_tenant_id_user_id_idx is 'Supports the user foreign key';
comment on index chat.conversations_tenant_id_agent_id_last_activity_at_idx is 'An agent''s conversations by activity; supports the agent foreign key';
comment on index chat.conversations_tenant_id_project_id_idx is 'Supports the project foreign key';

create trigger _100_set_updated_at before update on chat.conversations
for each row execute function ops.tg_set_updated_at();

create table chat.context_spans (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    conversation_id uuid,
    started_at timestamptz not null default now(),
    ended_at timestamptz,
    end_reason text,
    tags text[] not null default '{}',
    focus text,
    updated_at timestamptz not null default now(),
    constraint context_spans_pkey primary key (tenant_id, id),
    constraint context_spans_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint context_spans_tenant_id_conversation_id_fkey foreign key (tenant_id, conversation_id)
    references chat.conversations (tenant_id, id) on delete set null (conversation_id),
    constraint context_spans_end_check check (ended_at >= started_at),
    constraint context_spans_end_reason_check check (
        end_reason in ('clear', 'stop') and ended_at is not null or end_reason is null and ended_at is null
    )
);

create unique index context_spans_tenant_id_agent_id_open_key
on chat.context_spans (tenant_id, agent_id) where ended_at is null;
create index context_spans_tenant_id_agent_id_started_at_idx
on chat.context_spans (tenant_id, agent_id, started_at desc);
create index context_spans_tenant_id_conversation_id_idx on chat.context_spans (tenant_id, conversation_id);

comment on table chat.context_spans is 'The period between an agent''s start, /clear and stop (ikigai); the current tags and focus live on the open span';
comment on column chat.context_spans.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column chat.context_spans.id is 'Time-ordered id (ops.uuidv7)';
comment on column chat.context_spans.agent_id is 'The agent whose context this is';
comment on column chat.context_spans.conversation_id is 'Conversation the span belongs to, if any';
comment on column chat.context_spans.started_at is 'When the agent started or its context was cleared';
comment on column chat.context_spans.ended_at is 'When the context was cleared or the agent stopped; null while open (at most one open span per agent)';
comment on column chat.context_spans.end_reason is 'clear or stop; set exactly when ended_at is';
comment on column chat.context_spans.tags is 'Current tags (/tag), inherited by new messages that carry none';
comment on column chat.context_spans.focus is 'Current focus (/focus), inherited by new messages that carry none';
comment on column chat.context_spans.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index chat.context_spans_tenant_id_agent_id_open_key is 'At most one open span per agent';
comment on index chat.context_spans_tenant_id_agent_id_started_at_idx is 'An agent''s spans, newest first; supports the agent foreign key';
comment on index chat.context_spans_tenant_id_conversation_id_idx is 'Supports the conversation foreign key';

create trigger _100_set_updated_at before update on chat.context_spans
for each row execute function ops.tg_set_updated_at();

create table chat.messages (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    created_at timestamptz not null default now(),
    conversation_id uuid,
    agent_id uuid,
    role text not null,
    content text not null default '',
    parts jsonb not null default '[]'::jsonb,
    user_id uuid,
    user_name text,
    machine text,
    path text,
    git_remote text,
    project_id uuid,
    context_span_id uuid,
    tags text[] not null default '{}',
    focus text,
    character_id uuid,
    recipient_agent_id uuid,
    emotional_tone text,
    token_count integer,
    metadata jsonb not null default '{}'::jsonb,
    embedding public.vector,
    embedding_model_id integer,
    search_text tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
    constraint messages_pkey primary key (tenant_id, id, created_at),
    constraint messages_tenant_id_conversation_id_fkey foreign key (tenant_id, conversation_id)
    references chat.conversations (tenant_id, id) on delete cascade,
    constraint messages_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete set null (agent_id),
    constraint messages_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete set null (user_id),
    constraint messages_tenant_id_project_id_fkey foreign key (tenant_id, project_id)
    references core.projects (tenant_id, id) on delete set null (project_id),
    constraint messages_tenant_id_context_span_id_fkey foreign key (tenant_id, context_span_id)
    references chat.context_spans (tenant_id, id) on delete set null (context_span_id),
    constraint messages_tenant_id_character_id_fkey foreign key (tenant_id, character_id)
    references core.characters (tenant_id, id) on delete set null (character_id),
    constraint messages_tenant_id_recipient_agent_id_fkey foreign key (tenant_id, recipient_agent_id)
    references agents.agents (tenant_id, id) on delete set null (recipient_agent_id),
    constraint messages_role_check check (role in ('user', 'assistant', 'system', 'tool', 'agent')),
    constraint messages_parts_check check (jsonb_typeof(parts) = 'array'),
    constraint messages_metadata_check check (jsonb_typeof(metadata) = 'object'),
    constraint messages_token_count_check check (token_count >= 0),
    constraint messages_embedding_check check ((embedding is null) = (embedding_model_id is null))
) partition by range (created_at);

create index messages_tenant_id_conversation_id_created_at_idx
on chat.messages (tenant_id, conversation_id, created_at);
create index messages_tenant_id_agent_id_created_at_idx on chat.messages (tenant_id, agent_id, created_at);
create index messages_tenant_id_project_id_created_at_idx on chat.messages (tenant_id, project_id, created_at);
create index messages_tenant_id_context_span_id_idx on chat.messages (tenant_id, context_span_id);
create index messages_tenant_id_user_id_idx on chat.messages (tenant_id, user_id) where user_id is not null;
create index messages_tenant_id_machine_user_name_created_at_idx
on chat.messages (tenant_id, machine, user_name, created_at);
create index messages_tenant_id_path_created_at_idx on chat.messages (tenant_id, path, created_at);
create index messages_tenant_id_character_id_idx on chat.messages (tenant_id, character_id)
where character_id is not null;
create index messages_tenant_id_recipient_agent_id_idx on chat.messages (tenant_id, recipient_agent_id)
where recipient_agent_id is not null;
create index messages_tags_idx on chat.messages using gin (tags);
create index messages_search_text_idx on chat.messages using gin (search_text);

comment on table chat.messages is 'Every message with its full identity (ikigai: user, machine, path, git remote, project, span, tags, focus), rich parts (AJ), and conversation logs between players and agents or between agents (Heartwood); partitioned by month on created_at';
comment on column chat.messages.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column chat.messages.id is 'Time-ordered id (ops.uuidv7)';
comment on column chat.messages.created_at is 'When the message was written; the partition key';
comment on column chat.messages.conversation_id is 'Conversation the message belongs to';
comment on column chat.messages.agent_id is 'The agent conducting the conversation (for role agent: the speaking agent)';
comment on column chat.messages.role is 'user, assistant, system, tool, or agent (one agent speaking to another)';
comment on column chat.messages.content is 'The text of the message (for rich messages, its plain-text rendering)';
comment on column chat.messages.parts is 'Rich content parts as a JSON array (text, image, document, chart, tool call)';
comment on column chat.messages.user_id is 'The user, when known as a row of core.users';
comment on column chat.messages.user_name is 'Who ran the client (e.g. mgreenly), as the client reports it';
comment on column chat.messages.machine is 'Host the client ran on (laptop, workstation)';
comment on column chat.messages.path is 'Absolute working directory of the client';
comment on column chat.messages.git_remote is 'Git remote URL of the working directory, when inside a repository';
comment on column chat.messages.project_id is 'Project; from the conversation when the client leaves it empty';
comment on column chat.messages.context_span_id is 'Context span; the agent''s open span when the client leaves it empty';
comment on column chat.messages.tags is 'Tags; the span''s tags when the client gives none';
comment on column chat.messages.focus is 'Focus; the span''s focus when the client gives none';
comment on column chat.messages.character_id is 'Player character speaking or spoken to (Heartwood conversation logs)';
comment on column chat.messages.recipient_agent_id is 'Agent spoken to, in agent-to-agent conversation (Heartwood)';
comment on column chat.messages.emotional_tone is 'Emotional tone of the line (Heartwood)';
comment on column chat.messages.token_count is 'Tokens in the message, when the client counts them';
comment on column chat.messages.metadata is 'Client data as a JSON object';
comment on column chat.messages.embedding is 'Optional embedding of the content, of the model in embedding_model_id';
comment on column chat.messages.embedding_model_id is 'Embedding model of the embedding; set exactly when embedding is';
comment on column chat.messages.search_text is 'Full-text vector of the content (english), generated';
comment on index chat.messages_tenant_id_conversation_id_created_at_idx is 'A conversation in order; supports the conversation foreign key';
comment on index chat.messages_tenant_id_agent_id_created_at_idx is 'An agent''s work in time order; supports the agent foreign key';
comment on index chat.messages_tenant_id_project_id_created_at_idx is 'Work by project in time order; supports the project foreign key';
comment on index chat.messages_tenant_id_context_span_id_idx is 'Messages of a span; supports the span foreign key';
comment on index chat.messages_tenant_id_user_id_idx is 'Supports the user foreign key';
comment on index chat.messages_tenant_id_machine_user_name_created_at_idx is 'Work from a machine and user';
comment on index chat.messages_tenant_id_path_created_at_idx is 'Work in a path (one checkout)';
comment on index chat.messages_tenant_id_character_id_idx is 'Supports the character foreign key';
comment on index chat.messages_tenant_id_recipient_agent_id_idx is 'Supports the recipient agent foreign key';
comment on index chat.messages_tags_idx is 'Tagged work: tags @> array[...]';
comment on index chat.messages_search_text_idx is 'Full-text search over content';

create trigger _200_fill_identity before insert on chat.messages
for each row execute function chat.tg_fill_message_identity();

create trigger _300_touch_conversations after insert on chat.messages
referencing new table as inserted
for each statement execute function chat.tg_touch_conversations();

select ops.ensure_time_partitions('chat.messages', 'month', 1, 3);

create table chat.files (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    conversation_id uuid,
    user_id uuid,
    agent_id uuid,
    kind text not null,
    name text not null,
    content_type text,
    size_bytes bigint,
    sha256 text,
    workspace_path text generated always as (
        'workspaces/' || tenant_id::text || '/' || coalesce(user_id::text, '_shared') || '/'
        || coalesce(conversation_id::text, '_none') || '/files/'
        || case kind when 'upload' then 'uploads' when 'generated' then 'generated' else 'attachments' end
        || '/' || name
    ) stored,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint files_pkey primary key (tenant_id, id),
    constraint files_tenant_id_conversation_id_fkey foreign key (tenant_id, conversation_id)
    references chat.conversations (tenant_id, id) on delete cascade,
    constraint files_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint files_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete set null (agent_id),
    constraint files_tenant_id_workspace_path_key unique (tenant_id, workspace_path),
    constraint files_kind_check check (kind in ('upload', 'generated', 'attachment')),
    constraint files_name_check check (name ~ '^[^/\\]{1,255}$' and name not in ('.', '..')),
    constraint files_size_bytes_check check (size_bytes >= 0),
    constraint files_sha256_check check (sha256 ~ '^[0-9a-f]{64}$'),
    constraint files_metadata_check check (jsonb_typeof(metadata) = 'object')
);

create index files_tenant_id_conversation_id_idx on chat.files (tenant_id, conversation_id);
create index files_tenant_id_user_id_idx on chat.files (tenant_id, user_id);
create index files_tenant_id_agent_id_idx on chat.files (tenant_id, agent_id) where agent_id is not null;

comment on table chat.files is 'Files uploaded by users, generated by agents or attached to messages (AJ), with their place in the workspace';
comment on column chat.files.tenant_id is 'Owning tenant (the organization); leads every key so rows co-locate by tenant';
comment on column chat.files.id is 'Time-ordered id (ops.uuidv7)';
comment on column chat.files.conversation_id is 'Conversation the file belongs to';
comment on column chat.files.user_id is 'User who uploaded it or for whom it was generated';
comment on column chat.files.agent_id is 'Agent that generated it';
comment on column chat.files.kind is 'upload, generated or attachment';
comment on column chat.files.name is 'File name, no slashes';
comment on column chat.files.content_type is 'MIME type';
comment on column chat.files.size_bytes is 'Size in bytes';
comment on column chat.files.sha256 is 'sha256 of the content, 64 hex digits';
comment on column chat.files.workspace_path is 'Generated: workspaces/{tenant}/{user}/{conversation}/files/{uploads|generated|attachments}/{name}';
comment on column chat.files.metadata is 'Client data as a JSON object';
comment on column chat.files.created_at is 'When the file was recorded';
comment on column chat.files.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column chat.files.archived_at is 'Soft delete: set when archived';
comment on index chat.files_tenant_id_conversation_id_idx is 'Files of a conversation; supports the foreign key';
comment on index chat.files_tenant_id_user_id_idx is 'Files of a user; supports the foreign key';
comment on index chat.files_tenant_id_agent_id_idx is 'Supports the agent foreign key';

create trigger _100_set_updated_at before update on chat.files
for each row execute function ops.tg_set_updated_at();

create table chat.message_files (
    tenant_id uuid not null,
    message_id uuid not null,
    message_created_at timestamptz not null,
    file_id uuid not null,
    position smallint not null default 0,
    created_at timestamptz not null default now(),
    constraint message_files_pkey primary key (tenant_id, message_id, file_id),
    constraint message_files_tenant_id_message_id_message_created_at_fkey
    foreign key (tenant_id, message_id, message_created_at)
    references chat.messages (tenant_id, id, created_at) on delete cascade,
    constraint message_files_tenant_id_file_id_fkey foreign key (tenant_id, file_id)
    references chat.files (tenant_id, id) on delete cascade,
    constraint message_files_position_check check (position >= 0)
);

create index message_files_tenant_id_file_id_idx on chat.message_files (tenant_id, file_id);
create index message_files_tenant_id_message_id_message_created_at_idx
on chat.message_files (tenant_id, message_id, message_created_at);

comment on table chat.message_files is 'Files attached to a message (AJ message_files)';
comment on column chat.message_files.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column chat.message_files.message_id is 'The message';
comment on column chat.message_files.message_created_at is 'The message''s created_at (part of its key: messages are partitioned by it)';
comment on column chat.message_files.file_id is 'The file attached';
comment on column chat.message_files.position is 'Order of the attachment in the message';
comment on column chat.message_files.created_at is 'When it was attached';
comment on index chat.message_files_tenant_id_file_id_idx is 'Messages a file is attached to; supports the file foreign key';
comment on index chat.message_files_tenant_id_message_id_message_created_at_idx is 'Supports the message foreign key';
