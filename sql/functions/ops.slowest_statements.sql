-- The slowest statements, when pg_stat_statements is installed.
create or replace function ops.slowest_statements(p_limit integer default 20)
returns table (calls bigint, total_ms double precision, mean_ms double precision, rows bigint, query text)
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_schema text;
begin
    select n.nspname into v_schema
      from pg_catalog.pg_extension as e join pg_catalog.pg_namespace as n on n.oid = e.extnamespace
     where e.extname = 'pg_stat_statements';
    if v_schema is null then
        raise exception 'pg_stat_statements is not installed in this database'
            using errcode = '55000',
                  hint = 'add it to shared_preload_libraries, restart, then create extension pg_stat_statements '
                         '(the embedded server does not ship it)';
    end if;
    return query execute pg_catalog.format(
        'select s.calls, s.total_exec_time, s.mean_exec_time, s.rows, s.query from %I.pg_stat_statements as s '
        'where s.dbid = (select d.oid from pg_catalog.pg_database as d where d.datname = pg_catalog.current_database()) '
        'order by s.total_exec_time desc limit $1', v_schema) using p_limit;
end;
$function$;

comment on function ops.slowest_statements(integer) is
'Heartwood monitoring: the statements with the most total execution time in this database, from pg_stat_statements; raises 55000 with a hint when the extension is not installed (it is optional: agentdb needs only plpgsql and vector)';
