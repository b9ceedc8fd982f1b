-- Set the application user for the rest of this transaction (for user-level rules and audit).
-- depends: ops.transaction_identity
create or replace function ops.set_app_user(p_user_id uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
begin
    -- SET LOCAL (not set_config): Citus (citus.propagate_set_commands = local) sends it to the workers
    execute pg_catalog.format('set local agentdb.user_id = %L',
                              coalesce(p_user_id::text, '') || '/' || ops.transaction_identity());
    return p_user_id;
end;
$function$;

comment on function ops.set_app_user(uuid) is
'Makes p_user_id the application user of the current transaction only (SET LOCAL, bound to the transaction by ops.transaction_identity, and sent to Citus workers with the transaction): private conversations, hidden agents and, in tenants with user_isolation, user-owned rows narrow to it; audit rows record it. Null clears it';
