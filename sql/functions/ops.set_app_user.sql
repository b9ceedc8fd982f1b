-- Set the application user for the rest of this transaction (for user-level rules and audit).
create or replace function ops.set_app_user(p_user_id uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
begin
    -- SET LOCAL so that Citus carries it to the workers (see ops.set_tenant)
    execute pg_catalog.format('set local agentdb.user_id = %L', coalesce(p_user_id::text, ''));
    return p_user_id;
end;
$function$;

comment on function ops.set_app_user(uuid) is
'Makes p_user_id the application user of the current transaction only: private conversations and hidden agents narrow to it, and audit rows record it';
