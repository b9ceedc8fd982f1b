-- Trigger function: after messages are inserted, keep their conversations' activity current.
create or replace function chat.tg_touch_conversations()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v record;
begin
    -- the conversations are read from the transition table first, then updated one by one with
    -- their tenant as a constant: on Citus the trigger runs on a shard, where a statement joining
    -- a transition table to a distributed table cannot be planned, and a constant tenant keeps
    -- each update on the shard beside this one
    for v in
        select m.tenant_id,
               m.conversation_id,
               max(m.created_at) as last_at,
               count(*) as added,
               (pg_catalog.array_agg(
                   pg_catalog.left(pg_catalog.regexp_replace(pg_catalog.btrim(m.content), '\s+', ' ', 'g'), 80)
                   order by m.created_at, m.id
               ) filter (where m.role = 'user' and pg_catalog.btrim(m.content) <> ''))[1] as first_user_line
          from inserted m
         where m.conversation_id is not null
         group by m.tenant_id, m.conversation_id
         order by m.tenant_id, m.conversation_id
    loop
        update chat.conversations c
           set last_activity_at = greatest(c.last_activity_at, v.last_at),
               message_count = c.message_count + v.added,
               title = coalesce(c.title, v.first_user_line)
         where c.tenant_id = v.tenant_id and c.id = v.conversation_id;
    end loop;
    return null;
end;
$function$;

comment on function chat.tg_touch_conversations() is
'AFTER INSERT ... FOR EACH STATEMENT on chat.messages (_300_touch_conversations): one update per conversation per statement sets last_activity_at, adds to message_count and, while the title is empty, sets it from the first user message (whitespace folded, 80 characters)';
