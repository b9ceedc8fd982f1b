-- Apply one retention policy: delete, archive then delete, or drop whole partitions.
create or replace function ops.apply_retention_policy(
    p_policy_id integer,
    p_dry_run boolean default false,
    p_grace interval default '0'
)
returns table (table_name text, action text, rows bigint, partitions text[])
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_policy ops.retention_policies;
    v_cutoff timestamptz;
    v_filter text := '';
    v_tenants text := '';
    v_columns text;
    v_partition record;
    v_bound timestamptz;
    v_rows bigint;
begin
    select * into v_policy from ops.retention_policies as p where p.id = p_policy_id;
    if not found then
        raise exception 'no retention policy %', p_policy_id using errcode = 'P0002';
    end if;
    v_cutoff := pg_catalog.now() - v_policy.keep_for - p_grace;
    table_name := v_policy.table_name;
    action := v_policy.action;
    rows := 0;
    partitions := '{}';
    -- which tenants: those the policy names (ids, or a settings key that is true), or all
    -- when it says so; further narrowed by tenant kind
    if not v_policy.all_tenants then
        v_tenants := pg_catalog.format('(t.id = any(%L::uuid[]) or t.settings @> %L::jsonb)',
                                       coalesce(v_policy.tenant_ids, '{}'),
                                       pg_catalog.jsonb_build_object(coalesce(v_policy.tenant_setting, ''), true));
    end if;
    if v_policy.tenant_kind is not null then
        v_tenants := pg_catalog.concat_ws(' and ', nullif(v_tenants, ''), pg_catalog.format('t.kind = %L', v_policy.tenant_kind));
    end if;
    if v_tenants <> '' then
        v_filter := ' and tenant_id in (select t.id from core.tenants as t where ' || v_tenants || ')';
    end if;
    -- what no policy removes unless it says so: live conversations, important memories
    if v_policy.table_name = 'chat.conversations' and not v_policy.delete_live then
        v_filter := v_filter || ' and archived_at is not null';
    elsif v_policy.table_name = 'memory.memories' then
        v_filter := v_filter || pg_catalog.format(' and importance <= %s', v_policy.keep_importance_above);
    end if;

    if v_policy.action = 'drop_partitions' then
        -- whole partitions whose upper bound is at or before the cutoff go at once (all
        -- tenants: the policy must say all_tenants), then old rows left in the default one
        for v_partition in
            select c.oid::regclass as partition, pg_catalog.pg_get_expr(c.relpartbound, c.oid) as bound
              from pg_catalog.pg_inherits as h
              join pg_catalog.pg_class as c on c.oid = h.inhrelid
             where h.inhparent = v_policy.table_name::regclass
             order by 1
        loop
            continue when v_partition.bound = 'DEFAULT';
            v_bound := (pg_catalog.regexp_match(v_partition.bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz;
            continue when v_bound > v_cutoff;
            partitions := partitions || v_partition.partition::text;
            if not p_dry_run then
                execute pg_catalog.format('select count(*) from %s', v_partition.partition) into v_rows;
                execute pg_catalog.format('alter table %s detach partition %s', v_policy.table_name,
                                          v_partition.partition);
                execute pg_catalog.format('drop table %s', v_partition.partition);
                rows := rows + v_rows;
            end if;
        end loop;
    end if;

    if p_dry_run then
        -- the same rows the run takes (a dropped partition holds only rows before the cutoff)
        execute pg_catalog.format('select count(*) from %s where %I < $1%s', v_policy.table_name,
                                  v_policy.time_column, v_filter) into rows using v_cutoff;
    elsif v_policy.action = 'archive_then_delete' then
        select pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' order by a.attnum) into v_columns
          from pg_catalog.pg_attribute as a
         where a.attrelid = v_policy.table_name::regclass and a.attnum > 0 and not a.attisdropped
           and a.attgenerated = '';
        -- one statement: a row is in the table or in the archive, never both, never neither
        execute pg_catalog.format(
            'with moved as (delete from %1$s where %2$I < $1%3$s returning %4$s) '
            'insert into %5$s (%4$s) select %4$s from moved',
            v_policy.table_name, v_policy.time_column, v_filter, v_columns, v_policy.archive_table
        ) using v_cutoff;
        get diagnostics v_rows = row_count;
        rows := v_rows;
    else
        execute pg_catalog.format('delete from %s where %I < $1%s', v_policy.table_name, v_policy.time_column,
                                  v_filter) using v_cutoff;
        get diagnostics v_rows = row_count;
        rows := rows + v_rows;
    end if;
    return next;
end;
$function$;

comment on function ops.apply_retention_policy(integer, boolean, interval) is
'Applies one ops.retention_policies row in the caller''s transaction, to the tenants it names only (tenant_ids, tenant_setting, or all_tenants; and tenant_kind): delete, archive_then_delete (a single delete ... returning / insert statement, so no row is lost or doubled even if the process dies) or drop_partitions (detach and drop partitions entirely older than the cutoff, then delete older rows left elsewhere). Conversations that are not archived stay unless delete_live; memories above keep_importance_above always stay. p_dry_run counts exactly the rows the run would take (and names the partitions it would drop), past keep_for + p_grace. Returns what it did';
