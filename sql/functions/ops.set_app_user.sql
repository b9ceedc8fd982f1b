-- Set the application user for the rest of this transaction (for user-level rules and audit).
-- depends: ops.transaction_identity
create or replace function ops.set_app_user(p_user_id uuid)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select nullif(pg_catalog.split_part(pg_catalog.set_config(
        'agentdb.user_id', coalesce(p_user_id::text, '') || '/' || ops.transaction_identity(), true), '/', 1), '')::uuid;
end;

comment on function ops.set_app_user(uuid) is
'Makes p_user_id the application user of the current transaction only (set_config(..., true), bound to the transaction by ops.transaction_identity): private conversations, hidden agents and, in tenants with user_isolation, user-owned rows narrow to it; audit rows record it. Null clears it';
