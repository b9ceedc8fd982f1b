-- Open a context span for an agent (on agent start), or return the one already open.
create or replace function chat.start_context_span(
    p_tenant_id uuid,
    p_agent_id uuid,
    p_conversation_id uuid default null
)
returns uuid
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
    v_tags text[];
    v_focus text;
begin
    -- the previous span is read first and the insert is a plain VALUES: on Citus each statement
    -- is then routed to the tenant's shard (an INSERT ... SELECT would go through the coordinator)
    select s.tags, s.focus into v_tags, v_focus
      from chat.context_spans as s
     where s.tenant_id = p_tenant_id and s.agent_id = p_agent_id
     order by s.started_at desc, s.id desc limit 1;
    insert into chat.context_spans (tenant_id, agent_id, conversation_id, tags, focus)
    values (p_tenant_id, p_agent_id, p_conversation_id, coalesce(v_tags, '{}'), v_focus)
    on conflict (tenant_id, agent_id) where ended_at is null do nothing
    returning id into v_id;
    if v_id is null then
        select s.id into v_id from chat.context_spans as s
         where s.tenant_id = p_tenant_id and s.agent_id = p_agent_id and s.ended_at is null;
    end if;
    return v_id;
end;
$function$;

comment on function chat.start_context_span(uuid, uuid, uuid) is
'Opens a context span for the agent and returns its id; when one is open already, returns that one. Tags and focus carry over from the agent''s previous span (they stay active until changed)';
