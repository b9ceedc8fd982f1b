-- The tenant of this transaction, or an error that says how to set one.
-- depends: ops.current_tenant_id
create or replace function ops.require_tenant_id()
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.current_tenant_id();
begin
    if v_tenant is null then
        raise exception 'no tenant is set for this transaction'
            using errcode = '42501',
                  hint = 'begin the transaction with select ops.set_tenant(''slug-or-id''); a session-level '
                         'set agentdb.tenant_id counts in no transaction; agentdb commands take --tenant';
    end if;
    return v_tenant;
end;
$function$;

comment on function ops.require_tenant_id() is
'The transaction''s tenant (ops.current_tenant_id); raises 42501 "no tenant is set for this transaction" with a hint when none is: used by the row-level security write checks, so writes without a tenant fail loudly';
