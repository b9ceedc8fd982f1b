-- Whether this session is one Citus opened from another node to run part of a
-- distributed transaction (its application_name says so).
create or replace function ops.relayed_by_citus()
returns boolean
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    select pg_catalog.current_setting('application_name') like 'citus\_internal gpid=%';
end;

comment on function ops.relayed_by_citus() is
'True in a session Citus opened from another node (application_name "citus_internal gpid=..."): a worker running the shards'' part of a coordinator''s transaction. There the tenant and app-user settings arrive by Citus'' SET LOCAL propagation (citus.propagate_set_commands = local) and end with the transaction, so ops.current_tenant_id and ops.current_app_user_id accept them without the transaction identity, which is the coordinator''s (docs/decisions.md, "Citus")';
