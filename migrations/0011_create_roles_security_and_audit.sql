-- Roles (owner, app, read-only), row-level security on every tenant-scoped table from
-- one transaction-local tenant setting, cross-tenant rules, and the audit log.
-- Role names come from the settings agentdb.owner_role / app_role / readonly_role
-- (agentdb migrate sets them from [tool.agentdb]); defaults agentdb_owner, agentdb_app,
-- agentdb_readonly. Needs CREATEROLE, not superuser (docs/security.md).
-- requires: ops.tg_set_updated_at ops.tg_audit ops.ensure_time_partitions ops.secure_objects
-- requires: agents.is_granted ops.current_tenant_id ops.require_tenant_id ops.current_app_user_id

create table ops.roles (
    kind text not null,
    name text not null,
    constraint roles_pkey primary key (kind),
    constraint roles_name_key unique (name),
    constraint roles_kind_check check (kind in ('owner', 'app', 'readonly'))
);

comment on table ops.roles is 'The database roles agentdb made, by kind: owner (owns every object, runs migrations), app (reads and writes under row-level security), readonly (reads under row-level security)';
comment on column ops.roles.kind is 'owner, app or readonly';
comment on column ops.roles.name is 'The role''s name in this cluster';

insert into ops.roles (kind, name) values
('owner', coalesce(nullif(current_setting('agentdb.owner_role', true), ''), 'agentdb_owner')),
('app', coalesce(nullif(current_setting('agentdb.app_role', true), ''), 'agentdb_app')),
('readonly', coalesce(nullif(current_setting('agentdb.readonly_role', true), ''), 'agentdb_readonly'));

do $block$
declare
    v_role record;
begin
    for v_role in select r.kind, r.name from ops.roles as r loop
        if not exists (select 1 from pg_catalog.pg_roles as x where x.rolname = v_role.name) then
            execute pg_catalog.format('create role %I nologin', v_role.name);
        end if;
    end loop;
    -- the migrating role becomes a member of the owner that may SET ROLE to it, so it can
    -- give objects to it (PostgreSQL 16+: a CREATEROLE creator gets ADMIN but not SET)
    if not pg_catalog.pg_has_role(current_user, (select r.name from ops.roles as r where r.kind = 'owner'), 'set') then
        execute pg_catalog.format('grant %I to %I with set true, inherit true',
                                  (select r.name from ops.roles as r where r.kind = 'owner'), current_user);
    end if;
end
$block$;

create table ops.audit_log (
    tenant_id uuid not null default '00000000-0000-0000-0000-000000000000',
    id uuid not null default ops.uuidv7(),
    occurred_at timestamptz not null default clock_timestamp(),
    table_name text not null,
    operation text not null,
    row_id text,
    old_values jsonb,
    new_values jsonb,
    db_role text not null default current_user,
    app_user_id uuid,
    transaction_id xid8 not null default pg_current_xact_id(),
    constraint audit_log_pkey primary key (tenant_id, id, occurred_at),
    constraint audit_log_operation_check check (operation in ('insert', 'update', 'delete'))
) partition by range (occurred_at);

create index audit_log_tenant_id_table_name_occurred_at_idx on ops.audit_log (tenant_id, table_name, occurred_at);

comment on table ops.audit_log is 'Who changed what and when on audited tables (trigger _950_audit, ops.tg_audit); partitioned by month; the app role may add rows but never change or delete them';
comment on column ops.audit_log.tenant_id is 'Tenant of the changed row; the nil UUID for global tables (policies)';
comment on column ops.audit_log.id is 'Time-ordered id (ops.uuidv7)';
comment on column ops.audit_log.occurred_at is 'When the change was made; the partition key';
comment on column ops.audit_log.table_name is 'schema.table changed';
comment on column ops.audit_log.operation is 'insert, update or delete';
comment on column ops.audit_log.row_id is 'Id of the changed row';
comment on column ops.audit_log.old_values is 'Before: the changed columns (all columns for a delete)';
comment on column ops.audit_log.new_values is 'After: the changed columns (all columns for an insert)';
comment on column ops.audit_log.db_role is 'Database role that made the change (and the session user when it differs)';
comment on column ops.audit_log.app_user_id is 'Application user (ops.set_app_user), when set';
comment on column ops.audit_log.transaction_id is 'Transaction that made the change';
comment on index ops.audit_log_tenant_id_table_name_occurred_at_idx is 'A tenant''s changes to a table in time order';

select ops.ensure_time_partitions('ops.audit_log', 'month', 0, 3);
insert into ops.partition_policies (table_name, unit, premake) values ('ops.audit_log', 'month', 3);

create trigger _950_audit after insert or update or delete on core.tenants
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on core.users
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on agents.agents
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on agents.agent_grants
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on memory.documents
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on ops.retention_policies
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on ops.partition_policies
for each row execute function ops.tg_audit();

-- Cross-tenant rules (permissive policies add rows to what tenant_isolation shows;
-- restrictive ones narrow it). ops.secure_objects (below) adds tenant_isolation and
-- owner_all to every tenant-scoped table.
do $block$
declare
    v_app text := (select r.name from ops.roles as r where r.kind = 'app');
    v_readonly text := (select r.name from ops.roles as r where r.kind = 'readonly');
begin
    execute pg_catalog.format(
        'create policy agents_shared on agents.agents for select to %I, %I '
        'using (visibility = ''public'' or agents.is_granted(tenant_id, id))', v_app, v_readonly);
    execute pg_catalog.format(
        'create policy agents_hidden on agents.agents as restrictive for select to %I, %I '
        'using (visibility <> ''hidden'' or (tenant_id = ops.current_tenant_id() '
        'and (ops.current_app_user_id() is null or owner_user_id = ops.current_app_user_id())))',
        v_app, v_readonly);
    execute pg_catalog.format(
        'create policy conversations_private on chat.conversations as restrictive for select to %I, %I '
        'using (sharing = ''organization'' or user_id is null or ops.current_app_user_id() is null '
        'or user_id = ops.current_app_user_id())', v_app, v_readonly);
    execute pg_catalog.format('grant insert on ops.audit_log to %I', v_app);
end
$block$;

comment on policy agents_shared on agents.agents is 'Public agents are visible to every organization; private ones also to organizations they are granted to (AJ)';
comment on policy agents_hidden on agents.agents is 'Hidden agents are visible only in their tenant, and only to their owner when an application user is set';
comment on policy conversations_private on chat.conversations is 'Private conversations are visible only to their user when an application user is set; organization-shared ones to the whole tenant (AJ)';

select count(*) from ops.secure_objects();
