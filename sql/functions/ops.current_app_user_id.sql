-- The application user of this transaction, when the client set one.
-- depends: ops.transaction_identity ops.relayed_by_citus
create or replace function ops.current_app_user_id()
returns uuid
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    -- "<user id>/<transaction identity>", like the tenant: a value from another transaction is no user
    select case when pg_catalog.split_part(s.v, '/', 2) = ops.transaction_identity() or ops.relayed_by_citus()
                then nullif(pg_catalog.split_part(s.v, '/', 1), '')::uuid end
      from (select pg_catalog.current_setting('agentdb.user_id', true) as v) as s;
end;

comment on function ops.current_app_user_id() is
'The application user of the current transaction (setting agentdb.user_id, made by ops.set_app_user, bound to the transaction like the tenant); null for a tenant-wide service. Private conversations, hidden agents and, in tenants with user_isolation, every user-owned row narrow to it';
