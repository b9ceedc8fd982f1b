-- Undo 0016_retention_names_its_tenants: policies scoped by tenant kind again (the AJ and
-- cirkelline policies back to every organization).
alter table ops.retention_policies drop constraint retention_policies_keep_importance_above_check;
alter table ops.retention_policies drop constraint retention_policies_drop_partitions_check;
alter table ops.retention_policies drop constraint retention_policies_scope_check;
alter table ops.retention_policies disable trigger _950_audit;
update ops.retention_policies set tenant_kind = 'organization'
where tenant_setting in ('aj_retention', 'memory_archiving');
update ops.retention_policies set description = 'cirkelline: memories not accessed for 30 days move to the archive'
where tenant_setting = 'memory_archiving';
alter table ops.retention_policies enable trigger _950_audit;
alter table ops.retention_policies add constraint retention_policies_table_name_time_column_tenant_kind_key
unique nulls not distinct (table_name, time_column, tenant_kind);
alter table ops.retention_policies
drop column keep_importance_above,
drop column delete_live,
drop column all_tenants,
drop column tenant_setting,
drop column tenant_ids;
