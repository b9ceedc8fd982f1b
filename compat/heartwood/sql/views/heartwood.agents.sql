-- Heartwood agents: agentdb's agents with their live state, schedule and plans.
-- depends: heartwood.tg_agents
create or replace view heartwood.agents
with (security_invoker = true)
as
select
    a.slug as id,
    a.name,
    a.instructions as constitution,
    s.location as current_location,
    s.current_action as current_activity,
    s.energy as energy_level,
    s.mood,
    a.primary_goal,
    a.secondary_goals,
    a.personality -> 'traits' as personality_traits,
    a.personality -> 'likes' as likes,
    a.personality -> 'dislikes' as dislikes,
    a.backstory as background,
    (
        select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
            'day_of_week', d.day_of_week, 'start_time', d.start_time, 'end_time', d.end_time,
            'activity', d.activity, 'location', d.location
        ) order by d.day_of_week, d.start_time)
        from agents.schedules as d
        where d.tenant_id = a.tenant_id and d.agent_id = a.id
    ) as schedule,
    (
        select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
            'goal', p.goal, 'steps', p.steps, 'current_step', p.current_step, 'status', p.status
        ) order by p.priority desc, p.created_at)
        from agents.plans as p
        where p.tenant_id = a.tenant_id and p.agent_id = a.id and p.status in ('pending', 'active')
    ) as current_plans,
    a.created_at,
    greatest(a.updated_at, s.updated_at) as updated_at
from agents.agents as a
left join agents.agent_states as s on a.tenant_id = s.tenant_id and a.id = s.agent_id and s.user_id is null
where a.tenant_id = ops.current_tenant_id() and a.slug is not null;

create or replace trigger heartwood_agents_write instead of insert or update or delete on heartwood.agents
for each row execute function heartwood.tg_agents();

comment on view heartwood.agents is 'Heartwood agents (agents.agents of the current tenant, id = slug) with their live state (agents.agent_states without a user), routine (agents.schedules) and open plans (agents.plans)';
comment on column heartwood.agents.id is 'Heartwood agent id (elara_blacksmith): agents.agents.slug';
comment on column heartwood.agents.name is 'Display name';
comment on column heartwood.agents.constitution is 'agents.agents.instructions';
comment on column heartwood.agents.current_location is 'agent_states.location';
comment on column heartwood.agents.current_activity is 'agent_states.current_action (one column for both names)';
comment on column heartwood.agents.energy_level is 'agent_states.energy, 0..100';
comment on column heartwood.agents.mood is 'agent_states.mood';
comment on column heartwood.agents.primary_goal is 'The goal that drives the agent';
comment on column heartwood.agents.secondary_goals is 'Further goals';
comment on column heartwood.agents.personality_traits is 'personality -> ''traits''';
comment on column heartwood.agents.likes is 'personality -> ''likes''';
comment on column heartwood.agents.dislikes is 'personality -> ''dislikes''';
comment on column heartwood.agents.background is 'agents.agents.backstory';
comment on column heartwood.agents.schedule is 'The routine from agents.schedules, as JSON (read-only here)';
comment on column heartwood.agents.current_plans is 'Pending and active plans from agents.plans, as JSON (read-only here)';
comment on column heartwood.agents.created_at is 'Creation time';
comment on column heartwood.agents.updated_at is 'Last change of the agent or its state';
