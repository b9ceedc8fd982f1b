-- Count the rows of a table named at run time.
create or replace function ops.count_rows(p_table regclass)
returns bigint
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_count bigint;
begin
    execute pg_catalog.format('select count(*) from %s', p_table) into v_count;
    return v_count;
end;
$function$;

comment on function ops.count_rows(regclass) is
'Exact row count of p_table (for checks over tables found in the catalog, such as default partitions)';
