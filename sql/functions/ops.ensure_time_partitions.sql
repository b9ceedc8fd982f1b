-- Make a time-partitioned table's default partition and its range partitions around now.
create or replace function ops.ensure_time_partitions(
    parent regclass,
    unit text default 'month',
    back integer default 1,
    ahead integer default 3
)
returns setof text
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_schema text;
    v_table text;
    v_key text;
    v_columns text;
    v_base timestamp;
    v_start timestamptz;
    v_end timestamptz;
    v_name text;
    i integer;
begin
    if unit not in ('day', 'week', 'month') then
        raise exception 'unit must be day, week or month, not %', unit using errcode = '22023';
    end if;
    select n.nspname, c.relname, a.attname
      into v_schema, v_table, v_key
      from pg_catalog.pg_class as c
      join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
      join pg_catalog.pg_partitioned_table as p on p.partrelid = c.oid
      join pg_catalog.pg_attribute as a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
     where c.oid = parent and p.partstrat = 'r';
    if not found then
        raise exception '% is not a range-partitioned table', parent using errcode = '42809';
    end if;
    select pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' order by a.attnum)
      into v_columns
      from pg_catalog.pg_attribute as a
     where a.attrelid = parent and a.attnum > 0 and not a.attisdropped and a.attgenerated = '';

    if pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_schema, v_table || '_default')) is null then
        execute pg_catalog.format('create table %I.%I partition of %s default', v_schema, v_table || '_default', parent);
        execute pg_catalog.format(
            'comment on table %I.%I is %L', v_schema, v_table || '_default',
            'Default partition of ' || parent::text || ': rows outside every prepared range land here, never fail'
        );
        return next v_table || '_default';
    end if;

    v_base := pg_catalog.date_trunc(unit, pg_catalog.now() at time zone 'UTC');
    for i in -back .. ahead loop
        v_start := (v_base + pg_catalog.make_interval(
            months => case when unit = 'month' then i else 0 end,
            days => case unit when 'day' then i when 'week' then 7 * i else 0 end)) at time zone 'UTC';
        v_end := (v_base + pg_catalog.make_interval(
            months => case when unit = 'month' then i + 1 else 0 end,
            days => case unit when 'day' then i + 1 when 'week' then 7 * (i + 1) else 0 end)) at time zone 'UTC';
        v_name := v_table || '_p' || pg_catalog.to_char(v_start at time zone 'UTC',
            case unit when 'month' then 'YYYY_MM' else 'YYYY_MM_DD' end);
        continue when pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_schema, v_name)) is not null;

        -- Writes to the table pause for this short transaction (reads go on): an insert
        -- that had already chosen the default partition for this range and then waited
        -- would fail once the range is attached elsewhere. Locking the parent first (the
        -- order writers lock in) lets in-flight writes finish and makes later ones route
        -- afresh. Rows that landed in the default partition for this range move into the
        -- new table in this transaction, so none is lost or doubled. Callers set
        -- lock_timeout (agentdb maintain: 500 ms) so a busy table is skipped, not queued on.
        execute pg_catalog.format('lock table %s in share row exclusive mode', parent);
        execute pg_catalog.format('lock table %I.%I in exclusive mode', v_schema, v_table || '_default');
        execute pg_catalog.format(
            'create table %I.%I (like %s including defaults including constraints including generated '
            'including storage including comments)', v_schema, v_name, parent);
        execute pg_catalog.format(
            'with moved as (delete from %I.%I where %I >= $1 and %I < $2 returning %s) '
            'insert into %I.%I (%s) select %s from moved',
            v_schema, v_table || '_default', v_key, v_key, v_columns, v_schema, v_name, v_columns, v_columns
        ) using v_start, v_end;
        execute pg_catalog.format('alter table %s attach partition %I.%I for values from (%L) to (%L)',
            parent, v_schema, v_name, v_start, v_end);
        execute pg_catalog.format(
            'comment on table %I.%I is %L', v_schema, v_name,
            pg_catalog.format('Partition of %s for %s <= %s < %s', parent, v_start, v_key, v_end)
        );
        return next v_name;
    end loop;
end;
$function$;

comment on function ops.ensure_time_partitions(regclass, text, integer, integer) is
'Idempotent: creates the default partition and the day/week/month range partitions from BACK units before now to AHEAD units after (UTC boundaries), moving rows that landed in the default partition into their new partition; returns the partitions created';
