-- Heartwood's conversation logs: agentdb's chat.messages between players and agents.
-- depends: heartwood.tg_conversation_logs
create or replace view heartwood.conversation_logs
with (security_invoker = true)
as
select
    m.id,
    case when m.role = 'user' then 'player' else 'agent' end as initiator_type,
    case when m.role = 'user' then coalesce(c.attributes ->> 'heartwood_id', c.id::text) else f.slug end
        as initiator_id,
    case when m.recipient_agent_id is not null then 'agent' else 'player' end as recipient_type,
    case when m.recipient_agent_id is not null then t.slug else coalesce(c.attributes ->> 'heartwood_id', c.id::text) end
        as recipient_id,
    m.content as message,
    m.metadata ->> 'response' as response,
    m.metadata -> 'context' as context,
    m.emotional_tone,
    m.created_at as "timestamp"
from chat.messages as m
left join core.characters as c on m.tenant_id = c.tenant_id and m.character_id = c.id
left join agents.agents as f on m.tenant_id = f.tenant_id and m.agent_id = f.id
left join agents.agents as t on m.tenant_id = t.tenant_id and m.recipient_agent_id = t.id
where m.character_id is not null or m.recipient_agent_id is not null;

create or replace trigger heartwood_conversation_logs_write instead of insert or update or delete
on heartwood.conversation_logs
for each row execute function heartwood.tg_conversation_logs();

comment on view heartwood.conversation_logs is 'Heartwood conversation logs (chat.messages with a character or a recipient agent, partitioned by month on created_at)';
comment on column heartwood.conversation_logs.id is 'Message id';
comment on column heartwood.conversation_logs.initiator_type is 'player or agent';
comment on column heartwood.conversation_logs.initiator_id is 'Player id (character) or agent id (slug)';
comment on column heartwood.conversation_logs.recipient_type is 'player or agent';
comment on column heartwood.conversation_logs.recipient_id is 'Player id (character) or agent id (slug)';
comment on column heartwood.conversation_logs.message is 'What was said';
comment on column heartwood.conversation_logs.response is 'The reply, when logged on the same line';
comment on column heartwood.conversation_logs.context is 'Context as JSON';
comment on column heartwood.conversation_logs.emotional_tone is 'Tone of the line';
comment on column heartwood.conversation_logs.timestamp is 'When it was said';
