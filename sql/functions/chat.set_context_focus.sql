-- /focus: set what the agent is working on, on its open span.
-- depends: chat.start_context_span
create or replace function chat.set_context_focus(p_tenant_id uuid, p_agent_id uuid, p_focus text)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    -- the span first, then a plain update: Citus refuses a volatile function in the WHERE of a
    -- distributed update
    v_span uuid := chat.start_context_span(p_tenant_id, p_agent_id);
begin
    update chat.context_spans s
       set focus = nullif(pg_catalog.btrim(p_focus), '')
     where s.tenant_id = p_tenant_id and s.id = v_span;
    return v_span;
end;
$function$;

comment on function chat.set_context_focus(uuid, uuid, text) is
'Sets the focus of the agent''s open span (opening one if needed; empty text clears it) and returns the span id. New messages of the agent inherit it';
