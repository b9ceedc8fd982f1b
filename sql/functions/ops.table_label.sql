-- The name a trigger reports for its table: on a Citus shard, the distributed table's.
create or replace function ops.table_label(p_relid oid)
returns text
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_name text := p_relid::regclass::text;
    v_logical text;
begin
    -- a trigger on Citus fires on the shard (chat.messages_102345); events and audit rows name
    -- the table clients know. Without Citus this is the name itself.
    if v_name ~ '_[0-9]+$' and pg_catalog.to_regclass('pg_catalog.pg_dist_shard') is not null then
        execute 'select s.logicalrelid::regclass::text from pg_catalog.pg_dist_shard as s where s.shardid = $1'
           into v_logical using pg_catalog.substring(v_name, '_([0-9]+)$')::bigint;
    end if;
    return coalesce(v_logical, v_name);
end;
$function$;

comment on function ops.table_label(oid) is
'schema.table of a relation as clients name it: on a Citus shard (where triggers fire), the distributed table it belongs to; used by ops.tg_notify and ops.tg_audit';
