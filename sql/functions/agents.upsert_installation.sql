-- Make or refresh a tenant's installation of a shared agent it may use.
-- depends: agents.may_use_agent
create or replace function agents.upsert_installation(p_tenant_id uuid, p_owner_tenant_id uuid, p_agent_id uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    -- security invoker: called by the app role it can only write its own tenant (row-level
    -- security) and only read definitions it may see; agents.grant_agent calls it as owner
    if p_tenant_id = p_owner_tenant_id then
        raise exception 'an organization does not install its own agent: use agent % directly', p_agent_id
            using errcode = '22023';
    end if;
    if not agents.may_use_agent(p_tenant_id, p_owner_tenant_id, p_agent_id) then
        raise exception 'agent % is not shared with this organization', p_agent_id
            using errcode = '42501', hint = 'public agents are listed in agents.shared_agents; others need a grant (agents.grant_agent)';
    end if;
    insert into agents.agents as a (
        tenant_id, slug, name, description, role, model, model_config, instructions, backstory, personality,
        specialties, primary_goal, secondary_goals, visibility, source_tenant_id, source_agent_id
    )
    select p_tenant_id,
           case when not exists (select 1 from agents.agents as x where x.tenant_id = p_tenant_id and x.slug = s.slug)
                then s.slug end,
           s.name, s.description, s.role, s.model, s.model_config, s.instructions, s.backstory, s.personality,
           s.specialties, s.primary_goal, s.secondary_goals, 'private', s.owner_tenant_id, s.agent_id
      from agents.shared_agents as s
     where s.owner_tenant_id = p_owner_tenant_id and s.agent_id = p_agent_id
    on conflict (source_tenant_id, source_agent_id, tenant_id) do update
       set name = excluded.name, description = excluded.description, role = excluded.role, model = excluded.model,
           model_config = excluded.model_config, instructions = excluded.instructions, backstory = excluded.backstory,
           personality = excluded.personality, specialties = excluded.specialties,
           primary_goal = excluded.primary_goal, secondary_goals = excluded.secondary_goals, archived_at = null
    returning a.id into v_id;
    return v_id;
end;
$function$;

comment on function agents.upsert_installation(uuid, uuid, uuid) is
'The id of tenant p_tenant_id''s installation of shared agent p_agent_id (of p_owner_tenant_id): an agents.agents row of the tenant with source_tenant_id and source_agent_id, made on first call and its copy of the definition refreshed on every call (its own slug, status, owner, project and metadata are kept). Refuses (42501) an agent the tenant may not use. Security invoker: the app role reaches only its own tenant';
