-- Tokyo-IA agent_metrics: agentdb's work.metrics (partitioned by month).
-- depends: tokyo_ia.tg_agent_metrics
create or replace view tokyo_ia.agent_metrics
with (security_invoker = true)
as
select
    m.id,
    a.slug as agent_id,
    m.metric_type,
    m.value as metric_value,
    m.unit as metric_unit,
    m.recorded_at,
    m.context
from work.metrics as m
inner join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id;

create or replace trigger tokyo_ia_agent_metrics_write instead of insert or update or delete on tokyo_ia.agent_metrics
for each row execute function tokyo_ia.tg_agent_metrics();

comment on view tokyo_ia.agent_metrics is 'Tokyo-IA agent_metrics (work.metrics, partitioned by month on recorded_at): latency, tokens, cost, success_rate, error_rate';
comment on column tokyo_ia.agent_metrics.id is 'Measurement id';
comment on column tokyo_ia.agent_metrics.agent_id is 'Tokyo-IA agent id (the agent''s slug)';
comment on column tokyo_ia.agent_metrics.metric_type is 'latency, tokens, cost, success_rate, error_rate, ...';
comment on column tokyo_ia.agent_metrics.metric_value is 'work.metrics.value';
comment on column tokyo_ia.agent_metrics.metric_unit is 'work.metrics.unit';
comment on column tokyo_ia.agent_metrics.recorded_at is 'When it was measured';
comment on column tokyo_ia.agent_metrics.context is 'Context of the measurement';
