-- Publish (or re-publish) one of the current organization's agents to other organizations.
create or replace function agents.share_agent(p_agent_id uuid, p_visibility text default null)
returns table (agent_id uuid, visibility text, installations integer)
language plpgsql
volatile
security definer
set search_path = ''
as $function$
#variable_conflict use_column
declare
    v_tenant uuid := ops.require_tenant_id();
    v_agent agents.agents;
    v_visibility text;
    v_count integer;
begin
    -- security definer: writes the global agents.shared_agents and refreshes the copies in
    -- other organizations' installations; it acts only on an agent of the caller's tenant
    select a.* into v_agent from agents.agents as a where a.tenant_id = v_tenant and a.id = p_agent_id;
    if not found then
        raise exception 'no agent % in this organization', p_agent_id using errcode = 'P0002';
    end if;
    if v_agent.source_agent_id is not null then
        raise exception 'agent "%" is an installation of another organization''s agent: only its owner shares it',
            v_agent.name using errcode = '42501';
    end if;
    if p_visibility is not null and p_visibility not in ('public', 'private') then
        raise exception 'visibility must be public or private, not "%"', p_visibility using errcode = '22023';
    end if;
    v_visibility := coalesce(p_visibility, nullif(v_agent.visibility, 'hidden'));
    if v_visibility is null then
        raise exception 'agent "%" is hidden: share it as public or private', v_agent.name using errcode = '22023';
    end if;
    update agents.agents as a set visibility = v_visibility
     where a.tenant_id = v_tenant and a.id = p_agent_id and a.visibility <> v_visibility;
    insert into agents.shared_agents as s (
        owner_tenant_id, agent_id, visibility, slug, name, description, role, model, model_config, instructions,
        backstory, personality, specialties, primary_goal, secondary_goals, published_by_user_id
    ) values (
        v_tenant, p_agent_id, v_visibility, v_agent.slug, v_agent.name, v_agent.description, v_agent.role,
        v_agent.model, v_agent.model_config, v_agent.instructions, v_agent.backstory, v_agent.personality,
        v_agent.specialties, v_agent.primary_goal, v_agent.secondary_goals, ops.current_app_user_id()
    )
    on conflict on constraint shared_agents_pkey do update
       set visibility = excluded.visibility, slug = excluded.slug, name = excluded.name,
           description = excluded.description, role = excluded.role, model = excluded.model,
           model_config = excluded.model_config, instructions = excluded.instructions,
           backstory = excluded.backstory, personality = excluded.personality, specialties = excluded.specialties,
           primary_goal = excluded.primary_goal, secondary_goals = excluded.secondary_goals,
           published_by_user_id = excluded.published_by_user_id, withdrawn_at = null;
    -- one statement refreshes every installation (on Citus a multi-shard update issued here,
    -- never by a trigger on the agent's row)
    update agents.agents as i
       set name = v_agent.name, description = v_agent.description, role = v_agent.role, model = v_agent.model,
           model_config = v_agent.model_config, instructions = v_agent.instructions, backstory = v_agent.backstory,
           personality = v_agent.personality, specialties = v_agent.specialties,
           primary_goal = v_agent.primary_goal, secondary_goals = v_agent.secondary_goals
     where i.source_tenant_id = v_tenant and i.source_agent_id = p_agent_id;
    get diagnostics v_count = row_count;
    return query select p_agent_id, v_visibility, v_count;
end;
$function$;

comment on function agents.share_agent(uuid, text) is
'For the agent''s owner organization (the current tenant): publishes agent p_agent_id to other organizations in agents.shared_agents, public (any organization may install it) or private (only organizations granted it, agents.grant_agent); without p_visibility the agent''s own visibility (hidden agents are refused). Re-running it re-publishes the definition and refreshes it in every installation; returns the agent, the visibility and how many installations were refreshed. Security definer: it writes the global table and other organizations'' installations, for an agent of the caller''s tenant only';
