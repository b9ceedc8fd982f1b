-- Revoke an organization's grant of one of the current organization's agents.
-- depends: core.resolve_tenant
create or replace function agents.revoke_agent(p_agent_id uuid, p_grantee text)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_grantee uuid := core.resolve_tenant(p_grantee);
begin
    -- security definer: writes the global grant table, for the caller's own agents only
    if not exists (select 1 from agents.shared_agent_grants as g
                    where g.owner_tenant_id = v_tenant and g.agent_id = p_agent_id and g.grantee_tenant_id = v_grantee) then
        raise exception 'agent % is not granted to "%"', p_agent_id, p_grantee using errcode = 'P0002';
    end if;
    update agents.shared_agent_grants as g
       set revoked_at = pg_catalog.now(), revoked_by_user_id = ops.current_app_user_id()
     where g.owner_tenant_id = v_tenant and g.agent_id = p_agent_id and g.grantee_tenant_id = v_grantee
       and g.revoked_at is null;
    if not found then
        return false;
    end if;
    update agents.shared_agents as s
       set grantee_tenant_ids = pg_catalog.array_remove(s.grantee_tenant_ids, v_grantee)
     where s.owner_tenant_id = v_tenant and s.agent_id = p_agent_id;
    return true;
end;
$function$;

comment on function agents.revoke_agent(uuid, text) is
'For the agent''s owner organization (the current tenant): revokes organization p_grantee''s grant of agent p_agent_id. The grantee can start nothing new with it (conversations, messages, spans and states are refused) and keeps its history and its installation. True when a grant was active, false when it was already revoked; P0002 when there never was one. Security definer: it writes the global grant table (and drops the grantee from agents.shared_agents.grantee_tenant_ids)';
