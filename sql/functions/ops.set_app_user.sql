-- Set the application user for the rest of this transaction (for user-level rules and audit).
create or replace function ops.set_app_user(p_user_id uuid)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select pg_catalog.set_config('agentdb.user_id', coalesce(p_user_id::text, ''), true)::uuid;
end;

comment on function ops.set_app_user(uuid) is
'Makes p_user_id the application user of the current transaction only: private conversations and hidden agents narrow to it, and audit rows record it';
