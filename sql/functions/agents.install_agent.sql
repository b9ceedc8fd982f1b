-- The current organization's installation of a shared agent (made on first use).
-- depends: agents.upsert_installation
create or replace function agents.install_agent(p_agent_id uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_owners uuid[];
begin
    -- row-level security shows the caller only definitions it may see (public or granted)
    select pg_catalog.array_agg(s.owner_tenant_id) into v_owners
      from agents.shared_agents as s
     where s.agent_id = p_agent_id and s.withdrawn_at is null;
    if v_owners is null then
        raise exception 'agent % is not shared with this organization', p_agent_id
            using errcode = '42501', hint = 'public agents are listed in agents.shared_agents; others need a grant (agents.grant_agent)';
    end if;
    return agents.upsert_installation(v_tenant, v_owners[1], p_agent_id);
end;
$function$;

comment on function agents.install_agent(uuid) is
'For organization B: the id of its installation (an agents.agents row of B) of the shared agent p_agent_id, which it may use (public, or granted and not revoked); made on first call, its definition refreshed on every call. Conversations, messages, states, files and knowledge of B reference the installation. Raises 42501 for an agent not shared with B';
