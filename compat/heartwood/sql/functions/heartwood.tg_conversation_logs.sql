-- INSTEAD OF trigger of heartwood.conversation_logs: writes go to chat.messages.
-- depends: heartwood.agent_uuid heartwood.character_uuid
create or replace function heartwood.tg_conversation_logs()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from chat.messages as m where m.tenant_id = v_tenant and m.id = old.id and m.created_at = old."timestamp";
        return old;
    end if;
    if tg_op = 'UPDATE' then
        raise exception 'heartwood.conversation_logs is a log: rows are not changed' using errcode = '0A000';
    end if;
    if new.initiator_type not in ('player', 'agent') or new.recipient_type not in ('player', 'agent')
       or (new.initiator_type = 'player' and new.recipient_type = 'player') then
        raise exception 'conversation_logs: initiator_type and recipient_type are player or agent, not both player'
            using errcode = '22023';
    end if;
    insert into chat.messages as m (
        tenant_id, id, created_at, role, agent_id, character_id, recipient_agent_id, content, emotional_tone, metadata
    ) values (
        v_tenant, coalesce(new.id, ops.uuidv7()), coalesce(new."timestamp", pg_catalog.now()),
        case new.initiator_type when 'player' then 'user' else 'agent' end,
        case when new.initiator_type = 'agent' then heartwood.agent_uuid(new.initiator_id) end,
        case when new.initiator_type = 'player' then heartwood.character_uuid(new.initiator_id)
             when new.recipient_type = 'player' then heartwood.character_uuid(new.recipient_id) end,
        case when new.recipient_type = 'agent' then heartwood.agent_uuid(new.recipient_id) end,
        coalesce(new.message, ''), new.emotional_tone,
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object('response', new.response, 'context', new.context))
    )
    returning m.id, m.created_at into new.id, new."timestamp";
    return new;
end;
$function$;

comment on function heartwood.tg_conversation_logs() is
'INSTEAD OF insert and delete on heartwood.conversation_logs: a log line is a chat.messages row (partitioned by month): a player''s line has role user and the character, an agent''s role agent and the agent; the recipient agent or player beside it; response and context in metadata';
