-- Trigger function: after messages are inserted, keep their conversations' activity current.
create or replace function chat.tg_touch_conversations()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    update chat.conversations c
       set last_activity_at = greatest(c.last_activity_at, s.last_at),
           message_count = c.message_count + s.added,
           title = coalesce(c.title, s.first_user_line)
      from (
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
      ) s
     where c.tenant_id = s.tenant_id and c.id = s.conversation_id;
    return null;
end;
$function$;

comment on function chat.tg_touch_conversations() is
'AFTER INSERT ... FOR EACH STATEMENT on chat.messages (_300_touch_conversations): one update per conversation per statement sets last_activity_at, adds to message_count and, while the title is empty, sets it from the first user message (whitespace folded, 80 characters)';
