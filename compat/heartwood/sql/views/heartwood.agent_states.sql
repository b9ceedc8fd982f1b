-- Heartwood agent_states: each agent's live state in the world.
-- depends: heartwood.tg_agent_states
create or replace view heartwood.agent_states
with (security_invoker = true)
as
select
    a.slug as agent_id,
    s.position_x as current_x,
    s.position_y as current_y,
    s.direction as current_direction,
    s.current_action,
    s.action_started_at as action_start_time,
    s.interaction_target,
    s.emotional_state,
    s.physical_state,
    s.cognitive_load,
    s.updated_at
from agents.agent_states as s
inner join agents.agents as a on s.tenant_id = a.tenant_id and s.agent_id = a.id
where s.user_id is null and a.slug is not null;

create or replace trigger heartwood_agent_states_write instead of insert or update or delete on heartwood.agent_states
for each row execute function heartwood.tg_agent_states();

comment on view heartwood.agent_states is 'Heartwood agent_states: the live state of each agent (agents.agent_states without a user): position, direction, action, interaction target, emotional and physical state, cognitive load';
comment on column heartwood.agent_states.agent_id is 'Heartwood agent id (slug)';
comment on column heartwood.agent_states.current_x is 'agent_states.position_x';
comment on column heartwood.agent_states.current_y is 'agent_states.position_y';
comment on column heartwood.agent_states.current_direction is 'agent_states.direction';
comment on column heartwood.agent_states.current_action is 'What it is doing (heartwood.agents.current_activity is the same column)';
comment on column heartwood.agent_states.action_start_time is 'agent_states.action_started_at';
comment on column heartwood.agent_states.interaction_target is 'Whom it is interacting with (player_123)';
comment on column heartwood.agent_states.emotional_state is 'Emotions as JSON';
comment on column heartwood.agent_states.physical_state is 'Physical state as JSON';
comment on column heartwood.agent_states.cognitive_load is '0..100';
comment on column heartwood.agent_states.updated_at is 'Last change';
