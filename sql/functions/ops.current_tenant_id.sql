-- The tenant of this transaction, as ops.set_tenant left it (null: none).
-- depends: ops.transaction_identity ops.relayed_by_citus
create or replace function ops.current_tenant_id()
returns uuid
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    -- the setting is "<tenant id>/<transaction identity>/<isolated|shared>"; a value set in
    -- another transaction, one without an identity, or the nil id is no tenant. On a Citus
    -- worker the value came with the coordinator's transaction (SET LOCAL), carrying its identity
    select case when pg_catalog.split_part(s.v, '/', 1) not in ('', '00000000-0000-0000-0000-000000000000')
                 and (pg_catalog.split_part(s.v, '/', 2) = ops.transaction_identity() or ops.relayed_by_citus())
                then pg_catalog.split_part(s.v, '/', 1)::uuid end
      from (select pg_catalog.current_setting('agentdb.tenant_id', true) as v) as s;
end;

comment on function ops.current_tenant_id() is
'The tenant of the current transaction (setting agentdb.tenant_id, made by ops.set_tenant, bound to the transaction by ops.transaction_identity); null when none is set in this transaction, so row-level security shows nothing: a session-level set or set_config(..., false), a value left on a pooled connection and the nil id all count as unset. On a Citus worker (ops.relayed_by_citus) the value propagated with the coordinator''s transaction counts';
