-- Trigger function: a new message inherits its span, tags, focus and project.
create or replace function chat.tg_fill_message_identity()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_span record;
begin
    -- tags null: not given, the span's apply; an empty list given by the client stays empty
    if new.agent_id is not null and (new.context_span_id is null or new.tags is null or new.focus is null) then
        select s.id, s.tags, s.focus into v_span
          from chat.context_spans as s
         where s.tenant_id = new.tenant_id
           and (s.id = new.context_span_id
                or (new.context_span_id is null and s.agent_id = new.agent_id and s.ended_at is null))
         limit 1;
        if found then
            new.context_span_id := v_span.id;
            new.tags := coalesce(new.tags, v_span.tags);
            new.focus := coalesce(new.focus, v_span.focus);
        end if;
    end if;
    new.tags := coalesce(new.tags, '{}');
    if new.project_id is null and new.conversation_id is not null then
        select c.project_id into new.project_id
          from chat.conversations as c
         where c.tenant_id = new.tenant_id and c.id = new.conversation_id;
    end if;
    return new;
end;
$function$;

comment on function chat.tg_fill_message_identity() is
'BEFORE INSERT on chat.messages (_200_fill_identity): when the client leaves them empty, takes context_span_id from the agent''s open span, tags (when null: an explicit empty list stays empty) and focus from that span, and project_id from the conversation';
