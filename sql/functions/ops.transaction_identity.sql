-- What identifies the current transaction within its session: the one place the
-- tenant and app-user settings are bound to a transaction.
create or replace function ops.transaction_identity()
returns text
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    -- the transaction's start time in microseconds: distinct for every transaction of a
    -- session, and the same in its parallel workers (they share the leader's start time)
    select ((extract(epoch from pg_catalog.transaction_timestamp()) * 1000000)::bigint)::text;
end;

comment on function ops.transaction_identity() is
'Identity of the current transaction within its session (its start time in microseconds), carried by the agentdb.tenant_id and agentdb.user_id settings: a value made in another transaction (a session-level set, a pooled connection''s previous client) does not match and counts as unset. The only such check: a distributed setup (Citus workers evaluate row-level security) extends this one function';
