-- Trigger function: publish one small event per statement and group, on commit.
-- depends: ops.table_label ops.emit_event
create or replace function ops.tg_notify()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_channel text := tg_argv[0];
    v_keys text[] := coalesce(pg_catalog.string_to_array(nullif(tg_argv[1], ''), ','), '{}');
    v_changed text := nullif(tg_argv[2], '');
    v_rows text;
    v_key_json text := '';
    v_key_group text := '';
    v_key text;
begin
    -- the rows this event is about: inserted, deleted, or updated (those whose watched
    -- column changed, when the trigger names one)
    v_rows := case tg_op
        when 'INSERT' then 'select n.* from new_rows as n'
        when 'DELETE' then 'select o.* from old_rows as o'
        else 'select n.* from new_rows as n join old_rows as o on o.tenant_id = n.tenant_id and o.id = n.id'
             || case when v_changed is null then ''
                     else pg_catalog.format(' where n.%1$I is distinct from o.%1$I', v_changed) end
    end;
    foreach v_key in array v_keys loop
        v_key_json := v_key_json || pg_catalog.format(', %L, r.%I', v_key, v_key);
        v_key_group := v_key_group || pg_catalog.format(', r.%I', v_key);
    end loop;
    -- one notification per tenant and group per statement: a 10,000-row COPY into one
    -- conversation is one event (count 10000, the first 20 ids), never 10,000
    execute pg_catalog.format($sql$
        select ops.emit_event(%L, pg_catalog.json_build_object(
                   'op', %L, 'table', %L, 'tenant_id', r.tenant_id %s,
                   'count', count(*),
                   'ids', (pg_catalog.array_agg(r.id order by r.id))[1:20],
                   'truncated', count(*) > 20)::text)
          from (%s) as r
         group by r.tenant_id %s
    $sql$, v_channel, pg_catalog.lower(tg_op), ops.table_label(tg_relid), v_key_json, v_rows,
       v_key_group);
    return null;
end;
$function$;

comment on function ops.tg_notify() is
'AFTER ... FOR EACH STATEMENT trigger function with transition tables: an event (ops.emit_event: pg_notify, or the outbox on a Citus worker) on channel TG_ARGV[0] once per tenant and group (columns TG_ARGV[1], comma-separated) per statement, payload {op, table, tenant_id, <group columns>, count, ids (first 20), truncated}; on UPDATE only rows whose column TG_ARGV[2] changed (all rows when empty). Delivered at commit, never for rolled-back work. See docs/events.md';
