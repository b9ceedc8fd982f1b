-- Retention that deletes only what was asked (issue 14): a policy names the tenants it
-- applies to (tenant_ids, or tenant_setting: tenants whose settings hold that key as true,
-- or all_tenants explicitly); a conversation that is not archived is deleted only by a
-- policy with delete_live, a memory above keep_importance_above never. The AJ Copilot
-- policies now apply to tenants with settings.aj_retention, cirkelline's memory archive to
-- tenants with settings.memory_archiving: a fresh install and the demo lose nothing live.

alter table ops.retention_policies
add column tenant_ids uuid[],
add column tenant_setting text,
add column all_tenants boolean not null default false,
add column delete_live boolean not null default false,
add column keep_importance_above real not null default 5;

comment on column ops.retention_policies.tenant_ids is 'Tenants the policy applies to (with tenant_setting: either)';
comment on column ops.retention_policies.tenant_setting is 'Applies to the tenants whose core.tenants.settings hold this key as true (e.g. aj_retention)';
comment on column ops.retention_policies.all_tenants is 'Applies to every tenant; must be said explicitly (and is required by drop_partitions, which cannot pick tenants)';
comment on column ops.retention_policies.delete_live is 'chat.conversations: also delete conversations that are not archived (AJ''s 30-day cleanup); false keeps every live conversation';
comment on column ops.retention_policies.keep_importance_above is 'memory.memories: memories with a higher importance are never archived or deleted (10: none kept)';

-- the shipped policies are rewritten, not changed by anyone: no audit rows (0010 inserted
-- them before the audit trigger existed)
alter table ops.retention_policies disable trigger _950_audit;
update ops.retention_policies set tenant_setting = 'aj_retention', tenant_kind = null,
    delete_live = (table_name = 'chat.conversations')
where tenant_kind = 'organization' and table_name in ('chat.conversations', 'chat.files', 'agents.agent_states');
update ops.retention_policies set tenant_setting = 'memory_archiving', tenant_kind = null,
    description = 'cirkelline: memories not accessed for 30 days, importance 5 or less, move to the archive'
where tenant_kind = 'organization' and table_name = 'memory.memories';
update ops.retention_policies set all_tenants = true
where table_name = 'chat.conversations' and time_column = 'archived_at' and tenant_kind is null
    and tenant_setting is null;

alter table ops.retention_policies enable trigger _950_audit;

alter table ops.retention_policies drop constraint retention_policies_table_name_time_column_tenant_kind_key;
-- lint: allow S003 a handful of policy rows, all of which satisfy it after the updates above
alter table ops.retention_policies add constraint retention_policies_scope_check
check (all_tenants or tenant_ids is not null or tenant_setting is not null);
-- lint: allow S003 a handful of policy rows; no policy drops partitions by default
alter table ops.retention_policies add constraint retention_policies_drop_partitions_check
check (action <> 'drop_partitions' or all_tenants and tenant_kind is null);
-- lint: allow S003 a handful of policy rows
alter table ops.retention_policies add constraint retention_policies_keep_importance_above_check
check (keep_importance_above between 0 and 10);
