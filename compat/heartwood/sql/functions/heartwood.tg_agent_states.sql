-- INSTEAD OF trigger of heartwood.agent_states: writes go to agents.agent_states.
-- depends: heartwood.agent_uuid
create or replace function heartwood.tg_agent_states()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from agents.agent_states as s
         where s.tenant_id = v_tenant and s.agent_id = heartwood.agent_uuid(old.agent_id) and s.user_id is null;
        return old;
    end if;
    insert into agents.agent_states as s (
        tenant_id, agent_id, user_id, position_x, position_y, direction, current_action, action_started_at,
        interaction_target, emotional_state, physical_state, cognitive_load
    ) values (
        v_tenant, heartwood.agent_uuid(new.agent_id), null, new.current_x, new.current_y, new.current_direction,
        new.current_action, new.action_start_time, new.interaction_target, coalesce(new.emotional_state, '{}'),
        coalesce(new.physical_state, '{}'), new.cognitive_load
    )
    on conflict (tenant_id, agent_id, user_id) do update
       set position_x = excluded.position_x, position_y = excluded.position_y, direction = excluded.direction,
           current_action = excluded.current_action, action_started_at = excluded.action_started_at,
           interaction_target = excluded.interaction_target, emotional_state = excluded.emotional_state,
           physical_state = excluded.physical_state, cognitive_load = excluded.cognitive_load
    returning s.updated_at into new.updated_at;
    return new;
end;
$function$;

comment on function heartwood.tg_agent_states() is
'INSTEAD OF insert, update and delete on heartwood.agent_states: the agent''s live state is its agents.agent_states row without a user (one per agent); an insert for an agent that has one updates it';
