-- Whether the current tenant may use a shared agent now.
-- depends: agents.may_use_agent ops.current_tenant_id
create or replace function agents.is_granted(p_agent_tenant_id uuid, p_agent_id uuid)
returns boolean
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    return coalesce(agents.may_use_agent(ops.current_tenant_id(), p_agent_tenant_id, p_agent_id), false);
end;
$function$;

comment on function agents.is_granted(uuid, uuid) is
'True when the current tenant (ops.set_tenant) may use the shared agent p_agent_id of tenant p_agent_tenant_id now (agents.may_use_agent): published and public, or granted and not revoked; false without a tenant';
