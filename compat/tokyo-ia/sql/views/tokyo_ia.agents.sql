-- Tokyo-IA agents: agentdb agents of the current tenant, the slug as id, the counters
-- computed from the agent's tasks.
-- depends: tokyo_ia.tg_agents
create or replace view tokyo_ia.agents
with (security_invoker = true)
as
select
    a.slug as id,
    a.name,
    a.role,
    a.model,
    a.specialties,
    a.backstory,
    a.personality ->> 'emoji' as personality_emoji,
    a.status,
    coalesce(s.total_tasks_completed, 0) as total_tasks_completed,
    coalesce(s.total_tokens_used, 0) as total_tokens_used,
    coalesce(s.average_latency_ms, 0)::double precision as average_latency_ms,
    coalesce(s.success_rate, 100.0)::double precision as success_rate,
    a.created_at,
    a.updated_at,
    a.metadata
from agents.agents as a
left join work.agent_statistics as s on a.tenant_id = s.tenant_id and a.id = s.agent_id
where a.tenant_id = ops.current_tenant_id() and a.slug is not null;

create or replace trigger tokyo_ia_agents_write instead of insert or update or delete on tokyo_ia.agents
for each row execute function tokyo_ia.tg_agents();

comment on view tokyo_ia.agents is 'Tokyo-IA agents (agents.agents of the current tenant): id is the agent''s slug (akira-001); the counters are computed from work.tasks (work.agent_statistics), success_rate 100 and average_latency_ms 0 before any task ends, as in Tokyo-IA''s defaults';
comment on column tokyo_ia.agents.id is 'Tokyo-IA agent id: agents.agents.slug';
comment on column tokyo_ia.agents.name is 'Display name';
comment on column tokyo_ia.agents.role is 'Primary function';
comment on column tokyo_ia.agents.model is 'LLM model identifier';
comment on column tokyo_ia.agents.specialties is 'Areas of expertise';
comment on column tokyo_ia.agents.backstory is 'Personality and background';
comment on column tokyo_ia.agents.personality_emoji is 'agents.agents.personality ->> ''emoji''';
comment on column tokyo_ia.agents.status is 'active, inactive, maintenance (or agentdb''s stopped)';
comment on column tokyo_ia.agents.total_tasks_completed is 'Completed tasks of the agent, counted from work.tasks';
comment on column tokyo_ia.agents.total_tokens_used is 'Tokens of all the agent''s tasks';
comment on column tokyo_ia.agents.average_latency_ms is 'Average duration of its completed tasks, 0 before the first';
comment on column tokyo_ia.agents.success_rate is 'completed / (completed + failed) in percent, 100 before any task ended';
comment on column tokyo_ia.agents.created_at is 'Creation time';
comment on column tokyo_ia.agents.updated_at is 'Last change, kept by trigger';
comment on column tokyo_ia.agents.metadata is 'Additional configuration';
