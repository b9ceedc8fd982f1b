-- The application user of this transaction, when the client set one.
create or replace function ops.current_app_user_id()
returns uuid
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    select nullif(pg_catalog.current_setting('agentdb.user_id', true), '')::uuid;
end;

comment on function ops.current_app_user_id() is
'The transaction-local application user (setting agentdb.user_id, made by ops.set_app_user); null for a tenant-wide service: private conversations and hidden agents are then not narrowed to one user';
