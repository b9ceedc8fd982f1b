-- Close an agent's open context span (the agent stopped, or its context was cleared).
create or replace function chat.stop_context_span(
    p_tenant_id uuid,
    p_agent_id uuid,
    p_reason text default 'stop'
)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    update chat.context_spans s
       set ended_at = greatest(pg_catalog.now(), s.started_at), end_reason = p_reason
     where s.tenant_id = p_tenant_id and s.agent_id = p_agent_id and s.ended_at is null
    returning s.id;
end;

comment on function chat.stop_context_span(uuid, uuid, text) is
'Ends the agent''s open span with reason stop (or clear) and returns its id; null when none was open';
