-- Partition upkeep for every table in ops.partition_policies.
create or replace function ops.maintain_partitions(p_dry_run boolean default false)
returns table (table_name text, created text[], note text)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_policy record;
    v_created text[];
begin
    for v_policy in select p.table_name, p.unit, p.premake from ops.partition_policies as p order by p.table_name loop
        table_name := v_policy.table_name;
        created := '{}';
        note := null;
        if pg_catalog.to_regclass(v_policy.table_name) is null then
            note := 'no such table';
        elsif p_dry_run then
            note := pg_catalog.format('would ensure %s %s partitions ahead', v_policy.premake, v_policy.unit);
        else
            begin
                select coalesce(pg_catalog.array_agg(t), '{}') into v_created
                  from ops.ensure_time_partitions(v_policy.table_name::regclass, v_policy.unit, 0, v_policy.premake) as t;
                created := v_created;
            exception when lock_not_available or deadlock_detected then
                note := 'skipped: a lock was not granted in time (writers busy); the next run retries';
            end;
        end if;
        return next;
    end loop;
end;
$function$;

comment on function ops.maintain_partitions(boolean) is
'For every ops.partition_policies row: the default partition and partitions from now to premake units ahead (ops.ensure_time_partitions, moving rows out of the default partition); one table''s lock timeout skips that table only. Returns what it created per table';
