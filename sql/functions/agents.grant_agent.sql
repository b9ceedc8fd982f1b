-- Grant one of the current organization's agents to another organization.
-- depends: agents.share_agent agents.upsert_installation core.resolve_tenant
create or replace function agents.grant_agent(p_agent_id uuid, p_grantee text)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_grantee uuid := core.resolve_tenant(p_grantee);
    -- the time as a value: Citus refuses functions in a distributed DO UPDATE SET
    v_now timestamptz := pg_catalog.now();
begin
    -- security definer: writes the global grant table and the grantee's installation
    if v_grantee = v_tenant then
        raise exception 'an organization does not grant an agent to itself' using errcode = '22023';
    end if;
    if not exists (select 1 from agents.shared_agents as s
                    where s.owner_tenant_id = v_tenant and s.agent_id = p_agent_id and s.withdrawn_at is null) then
        perform agents.share_agent(p_agent_id);
    end if;
    insert into agents.shared_agent_grants as g (owner_tenant_id, agent_id, grantee_tenant_id, granted_by_user_id)
    values (v_tenant, p_agent_id, v_grantee, ops.current_app_user_id())
    on conflict on constraint shared_agent_grants_pkey do update
       set granted_at = v_now, granted_by_user_id = excluded.granted_by_user_id,
           revoked_at = null, revoked_by_user_id = null
     where g.revoked_at is not null;
    -- the visibility policy reads the active grantees from the shared agent (migration 0042)
    update agents.shared_agents as s
       set grantee_tenant_ids = array(select distinct u from pg_catalog.unnest(s.grantee_tenant_ids || v_grantee) as u order by u)
     where s.owner_tenant_id = v_tenant and s.agent_id = p_agent_id and not v_grantee = any (s.grantee_tenant_ids);
    return agents.upsert_installation(v_grantee, v_tenant, p_agent_id);
end;
$function$;

comment on function agents.grant_agent(uuid, text) is
'For the agent''s owner organization (the current tenant): grants agent p_agent_id to organization p_grantee (slug, id or external id; AJ organization_agents), publishing it first (private) when it is not, or lifts a revoke; makes the grantee''s installation and returns its id. Security definer: it writes the global agents.shared_agent_grants and the grantee''s installation, and lists the grantee in agents.shared_agents.grantee_tenant_ids';
