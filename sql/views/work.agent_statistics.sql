-- Per-agent figures (Tokyo-IA agent statistics) computed from tasks, so nothing drifts.
create or replace view work.agent_statistics
with (security_invoker = true)
as
select
    a.tenant_id,
    a.id as agent_id,
    a.name,
    a.status,
    count(t.id) as total_tasks,
    count(t.id) filter (where t.status = 'completed') as tasks_completed,
    count(t.id) filter (where t.status = 'failed') as tasks_failed,
    coalesce(sum(t.tokens_used), 0)::bigint as total_tokens,
    coalesce(sum(t.cost_usd), 0) as total_cost_usd,
    round(avg(t.duration_ms) filter (where t.status = 'completed'), 1) as average_latency_ms,
    round(
        100.0 * count(t.id) filter (where t.status = 'completed')
        / nullif(count(t.id) filter (where t.status in ('completed', 'failed')), 0), 2
    ) as success_rate,
    (count(t.id) filter (where t.status = 'completed'))::integer as total_tasks_completed,
    coalesce(sum(t.tokens_used), 0)::bigint as total_tokens_used
from agents.agents as a
left join work.tasks as t on a.tenant_id = t.tenant_id and a.id = t.agent_id
group by a.tenant_id, a.id, a.name, a.status;

comment on view work.agent_statistics is
'Tokyo-IA agent statistics from work.tasks (no counters on agents to drift): tasks total, completed and failed, tokens, cost, average latency of completed tasks, success rate = completed / (completed + failed) in percent; Tokyo-IA''s agent counters under its own names (total_tasks_completed, total_tokens_used, average_latency_ms, success_rate)';
comment on column work.agent_statistics.tenant_id is 'Owning tenant';
comment on column work.agent_statistics.agent_id is 'The agent';
comment on column work.agent_statistics.name is 'Agent name';
comment on column work.agent_statistics.status is 'Agent status';
comment on column work.agent_statistics.total_tasks is 'Tasks run by the agent';
comment on column work.agent_statistics.tasks_completed is 'Completed tasks';
comment on column work.agent_statistics.tasks_failed is 'Failed tasks';
comment on column work.agent_statistics.total_tokens is 'Tokens over all tasks';
comment on column work.agent_statistics.total_cost_usd is 'Cost over all tasks in USD';
comment on column work.agent_statistics.average_latency_ms is 'Mean duration of completed tasks in ms (Tokyo-IA average_latency_ms); null before any completed with a duration';
comment on column work.agent_statistics.success_rate is 'Percent of finished tasks that completed; null before any finished (Tokyo-IA success_rate)';
comment on column work.agent_statistics.total_tasks_completed is 'Completed tasks, under Tokyo-IA''s agents column name';
comment on column work.agent_statistics.total_tokens_used is 'Tokens over all tasks, under Tokyo-IA''s agents column name';
