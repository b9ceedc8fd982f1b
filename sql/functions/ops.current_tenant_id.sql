-- The tenant of this transaction, as ops.set_tenant left it (null: none).
create or replace function ops.current_tenant_id()
returns uuid
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    select nullif(pg_catalog.current_setting('agentdb.tenant_id', true), '')::uuid;
end;

comment on function ops.current_tenant_id() is
'The transaction-local tenant (setting agentdb.tenant_id, made by ops.set_tenant); null when none is set, so row-level security shows nothing';
