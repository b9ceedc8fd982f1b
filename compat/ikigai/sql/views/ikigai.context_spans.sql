-- ikigai context spans: agentdb's chat.context_spans (read-only here).
create or replace view ikigai.context_spans
with (security_invoker = true)
as
select
    s.id,
    (a.metadata ->> 'ikigai_id')::bigint as agent_id,
    s.started_at,
    s.ended_at
from chat.context_spans as s
inner join agents.agents as a on s.tenant_id = a.tenant_id and s.agent_id = a.id;

comment on view ikigai.context_spans is 'ikigai context spans (chat.context_spans): read-only; spans start, clear and stop through chat.start_context_span, chat.clear_context_span and chat.stop_context_span';
comment on column ikigai.context_spans.id is 'Span id (uuid)';
comment on column ikigai.context_spans.agent_id is 'ikigai''s integer id of the agent';
comment on column ikigai.context_spans.started_at is 'Start, or the /clear that began it';
comment on column ikigai.context_spans.ended_at is 'Stop or /clear; null while open';
