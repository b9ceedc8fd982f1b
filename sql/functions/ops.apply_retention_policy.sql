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
    v_tenant_filter text := '';
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
    if v_policy.tenant_kind is not null then
        v_tenant_filter := pg_catalog.format(
            ' and tenant_id in (select t.id from core.tenants as t where t.kind = %L)', v_policy.tenant_kind);
    end if;

    if p_dry_run then
        execute pg_catalog.format('select count(*) from %s where %I < $1%s', v_policy.table_name,
                                  v_policy.time_column, v_tenant_filter) into rows using v_cutoff;
        return next;
        return;
    end if;

    if v_policy.action = 'delete' then
        execute pg_catalog.format('delete from %s where %I < $1%s', v_policy.table_name, v_policy.time_column,
                                  v_tenant_filter) using v_cutoff;
        get diagnostics v_rows = row_count;
        rows := v_rows;
    elsif v_policy.action = 'archive_then_delete' then
        select pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' order by a.attnum) into v_columns
          from pg_catalog.pg_attribute as a
         where a.attrelid = v_policy.table_name::regclass and a.attnum > 0 and not a.attisdropped
           and a.attgenerated = '';
        -- one statement: a row is in the table or in the archive, never both, never neither
        execute pg_catalog.format(
            'with moved as (delete from %1$s where %2$I < $1%3$s returning %4$s) '
            'insert into %5$s (%4$s) select %4$s from moved',
            v_policy.table_name, v_policy.time_column, v_tenant_filter, v_columns, v_policy.archive_table
        ) using v_cutoff;
        get diagnostics v_rows = row_count;
        rows := v_rows;
    else
        -- whole partitions whose upper bound is at or before the cutoff go at once
        for v_partition in
            select c.oid::regclass as partition, pg_catalog.pg_get_expr(c.relpartbound, c.oid) as bound
              from pg_catalog.pg_inherits as h
              join pg_catalog.pg_class as c on c.oid = h.inhrelid
             where h.inhparent = v_policy.table_name::regclass
        loop
            continue when v_partition.bound = 'DEFAULT';
            v_bound := (pg_catalog.regexp_match(v_partition.bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz;
            continue when v_bound > v_cutoff;
            execute pg_catalog.format('select count(*) from %s', v_partition.partition) into v_rows;
            execute pg_catalog.format('alter table %s detach partition %s', v_policy.table_name, v_partition.partition);
            execute pg_catalog.format('drop table %s', v_partition.partition);
            rows := rows + v_rows;
            partitions := partitions || v_partition.partition::text;
        end loop;
        -- and old rows that sit in the default partition
        execute pg_catalog.format('delete from %s where %I < $1%s', v_policy.table_name, v_policy.time_column,
                                  v_tenant_filter) using v_cutoff;
        get diagnostics v_rows = row_count;
        rows := rows + v_rows;
    end if;
    return next;
end;
$function$;

comment on function ops.apply_retention_policy(integer, boolean, interval) is
'Applies one ops.retention_policies row in the caller''s transaction: delete, archive_then_delete (a single delete ... returning / insert statement, so no row is lost or doubled even if the process dies) or drop_partitions (detach and drop partitions entirely older than the cutoff, then delete older rows left elsewhere); p_dry_run only counts (rows past keep_for + p_grace). Returns what it did';
