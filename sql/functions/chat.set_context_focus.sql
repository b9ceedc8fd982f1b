-- /focus: set what the agent is working on, on its open span.
-- depends: chat.start_context_span
create or replace function chat.set_context_focus(p_tenant_id uuid, p_agent_id uuid, p_focus text)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    update chat.context_spans s
       set focus = nullif(pg_catalog.btrim(p_focus), '')
     where s.tenant_id = p_tenant_id and s.id = chat.start_context_span(p_tenant_id, p_agent_id)
    returning s.id;
end;

comment on function chat.set_context_focus(uuid, uuid, text) is
'Sets the focus of the agent''s open span (opening one if needed; empty text clears it) and returns the span id. New messages of the agent inherit it';
