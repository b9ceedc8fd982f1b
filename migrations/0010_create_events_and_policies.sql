-- Events on a documented channel contract (docs/events.md), partition policies and
-- retention policies as data, with the defaults the seeds ask for.
-- requires: ops.tg_set_updated_at ops.tg_notify

create trigger _900_notify_insert after insert on chat.messages
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_messages', 'conversation_id,agent_id');

create trigger _900_notify_insert after insert on memory.memories
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_memories', 'agent_id,user_id');

create trigger _900_notify_insert after insert on memory.documents
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_documents', 'project_id');
create trigger _900_notify_update after update on memory.documents
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_notify('agentdb_documents', 'project_id', 'version');
create trigger _900_notify_delete after delete on memory.documents
referencing old table as old_rows
for each statement execute function ops.tg_notify('agentdb_documents', 'project_id');

create trigger _900_notify_insert after insert on work.tasks
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_tasks', 'status,workflow_id,agent_id');
create trigger _900_notify_update after update on work.tasks
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_notify('agentdb_tasks', 'status,workflow_id,agent_id', 'status');

create trigger _900_notify_insert after insert on work.workflows
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_workflows', 'status');
create trigger _900_notify_update after update on work.workflows
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_notify('agentdb_workflows', 'status', 'status');

create trigger _900_notify_insert after insert on chat.context_spans
referencing new table as new_rows
for each statement execute function ops.tg_notify('agentdb_spans', 'agent_id');
create trigger _900_notify_update after update on chat.context_spans
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_notify('agentdb_spans', 'agent_id');

create table ops.partition_policies (
    table_name text not null,
    unit text not null default 'month',
    premake integer not null default 3,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint partition_policies_pkey primary key (table_name),
    constraint partition_policies_table_name_check check (table_name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
    constraint partition_policies_unit_check check (unit in ('day', 'week', 'month')),
    constraint partition_policies_premake_check check (premake between 1 and 120)
);

comment on table ops.partition_policies is 'Time-partitioned tables and how agentdb maintain keeps them: partitions of one unit, premake units ahead of now, a default partition always';
comment on column ops.partition_policies.table_name is 'The partitioned table, schema.name';
comment on column ops.partition_policies.unit is 'Width of a partition: day, week or month';
comment on column ops.partition_policies.premake is 'How many units ahead of now to have partitions for';
comment on column ops.partition_policies.created_at is 'When the policy was added';
comment on column ops.partition_policies.updated_at is 'When the row last changed (trigger _100_set_updated_at)';

create trigger _100_set_updated_at before update on ops.partition_policies
for each row execute function ops.tg_set_updated_at();

insert into ops.partition_policies (table_name, unit, premake) values
('chat.messages', 'month', 3),
('work.metrics', 'month', 3);

create table ops.retention_policies (
    id integer generated always as identity,
    table_name text not null,
    time_column text not null,
    keep_for interval not null,
    action text not null,
    archive_table text,
    tenant_kind text,
    is_enabled boolean not null default true,
    description text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint retention_policies_pkey primary key (id),
    constraint retention_policies_table_name_time_column_tenant_kind_key unique nulls not distinct (
        table_name, time_column, tenant_kind
    ),
    constraint retention_policies_table_name_check check (table_name ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
    constraint retention_policies_keep_for_check check (keep_for > interval '0'),
    constraint retention_policies_action_check check (action in ('delete', 'archive_then_delete', 'drop_partitions')),
    constraint retention_policies_archive_table_check check ((action = 'archive_then_delete') = (archive_table is not null)),
    constraint retention_policies_tenant_kind_check check (tenant_kind in ('organization', 'personal'))
);

comment on table ops.retention_policies is 'Retention as data: rows of table_name whose time_column is older than keep_for are deleted, archived then deleted, or dropped with their partitions by ops.apply_retention_policy (agentdb maintain)';
comment on column ops.retention_policies.id is 'Policy id';
comment on column ops.retention_policies.table_name is 'The table, schema.name';
comment on column ops.retention_policies.time_column is 'The timestamptz column whose age decides (a row with it null is kept)';
comment on column ops.retention_policies.keep_for is 'How long rows are kept';
comment on column ops.retention_policies.action is 'delete, archive_then_delete (into archive_table, in one statement) or drop_partitions (whole partitions past the limit, and old rows of the default partition)';
comment on column ops.retention_policies.archive_table is 'Where archive_then_delete moves rows (same leading columns)';
comment on column ops.retention_policies.tenant_kind is 'Only tenants of this kind (organization, personal); null for all';
comment on column ops.retention_policies.is_enabled is 'Applied by agentdb maintain';
comment on column ops.retention_policies.description is 'Why the policy exists';
comment on column ops.retention_policies.created_at is 'When the policy was added';
comment on column ops.retention_policies.updated_at is 'When the row last changed (trigger _100_set_updated_at)';

create trigger _100_set_updated_at before update on ops.retention_policies
for each row execute function ops.tg_set_updated_at();

insert into ops.retention_policies (table_name, time_column, keep_for, action, archive_table, tenant_kind, description)
values
('chat.conversations', 'updated_at', '30 days', 'delete', null, 'organization',
 'AJ Copilot: conversations (with their messages and files) 30 days after their last activity'),
('chat.files', 'created_at', '30 days', 'delete', null, 'organization', 'AJ Copilot: files after 30 days'),
('agents.agent_states', 'updated_at', '30 days', 'delete', null, 'organization',
 'AJ Copilot: agent states 30 days after their last change'),
('chat.conversations', 'archived_at', '30 days', 'delete', null, null,
 'Soft-deleted conversations are removed 30 days after they were archived'),
('memory.memories', 'last_accessed_at', '30 days', 'archive_then_delete', 'memory.archived_memories', 'organization',
 'cirkelline: memories not accessed for 30 days move to the archive');
