-- Whether a tenant may use a shared agent now (published, not withdrawn, public or granted).
create or replace function agents.may_use_agent(p_tenant_id uuid, p_owner_tenant_id uuid, p_agent_id uuid)
returns boolean
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    -- plpgsql, not an SQL body: migrations that run before the shared tables exist name it
    return p_tenant_id = p_owner_tenant_id or exists (
        select 1 from agents.shared_agents as s
         where s.owner_tenant_id = p_owner_tenant_id and s.agent_id = p_agent_id and s.withdrawn_at is null
           and (s.visibility = 'public'
                or exists (select 1 from agents.shared_agent_grants as g
                            where g.owner_tenant_id = s.owner_tenant_id and g.agent_id = s.agent_id
                              and g.grantee_tenant_id = p_tenant_id and g.revoked_at is null))
    );
end;
$function$;

comment on function agents.may_use_agent(uuid, uuid, uuid) is
'True when tenant p_tenant_id may use the shared agent p_agent_id of p_owner_tenant_id now: it is published (agents.shared_agents, not withdrawn) and public, or granted to the tenant and not revoked (or the tenant is its owner). Reads only the global tables, so on Citus it stays on the worker that asks';
