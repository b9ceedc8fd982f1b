-- INSTEAD OF trigger of heartwood.agents: writes go to agents.agents and the agent's
-- live state (its agents.agent_states row without a user).
-- depends: heartwood.agent_uuid
create or replace function heartwood.tg_agents()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_id uuid;
    v_traits jsonb;
begin
    if tg_op = 'DELETE' then
        delete from agents.agents as a where a.tenant_id = v_tenant and a.id = heartwood.agent_uuid(old.id);
        return old;
    end if;
    v_traits := pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
        'traits', new.personality_traits, 'likes', new.likes, 'dislikes', new.dislikes));
    if tg_op = 'INSERT' then
        insert into agents.agents as a (
            tenant_id, slug, name, instructions, primary_goal, secondary_goals, personality, backstory
        ) values (
            v_tenant, new.id, new.name, new.constitution, new.primary_goal, coalesce(new.secondary_goals, '{}'),
            v_traits, new.background
        )
        returning a.id, a.created_at, a.updated_at into v_id, new.created_at, new.updated_at;
    else
        v_id := heartwood.agent_uuid(old.id);
        update agents.agents as a
           set slug = new.id, name = new.name, instructions = new.constitution, primary_goal = new.primary_goal,
               secondary_goals = coalesce(new.secondary_goals, '{}'),
               personality = (a.personality - 'traits' - 'likes' - 'dislikes') || v_traits, backstory = new.background
         where a.tenant_id = v_tenant and a.id = v_id
        returning a.updated_at into new.updated_at;
    end if;
    insert into agents.agent_states as s (tenant_id, agent_id, user_id, location, current_action, energy, mood)
    values (v_tenant, v_id, null, new.current_location, new.current_activity, new.energy_level, new.mood)
    on conflict (tenant_id, agent_id, user_id) do update
       set location = excluded.location, current_action = excluded.current_action, energy = excluded.energy,
           mood = excluded.mood
     where (s.location, s.current_action, s.energy, s.mood)
           is distinct from (excluded.location, excluded.current_action, excluded.energy, excluded.mood);
    return new;
end;
$function$;

comment on function heartwood.tg_agents() is
'INSTEAD OF insert, update and delete on heartwood.agents: the definition goes to agents.agents (id = slug, constitution = instructions, background = backstory, personality_traits / likes / dislikes in personality), current_location, current_activity, energy_level and mood to the agent''s live state (agents.agent_states without a user); schedule and current_plans are read from agents.schedules and agents.plans';
