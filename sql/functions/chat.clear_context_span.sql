-- /clear: end the open span and start a new one in the same transaction.
-- depends: chat.stop_context_span chat.start_context_span
create or replace function chat.clear_context_span(p_tenant_id uuid, p_agent_id uuid)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_conversation uuid;
begin
    select s.conversation_id into v_conversation from chat.context_spans as s
     where s.tenant_id = p_tenant_id and s.agent_id = p_agent_id and s.ended_at is null;
    perform chat.stop_context_span(p_tenant_id, p_agent_id, 'clear');
    return chat.start_context_span(p_tenant_id, p_agent_id, v_conversation);
end;
$function$;

comment on function chat.clear_context_span(uuid, uuid) is
'Ends the agent''s open span with reason clear and opens a new one (same conversation, same tags and focus); returns the new span id';
