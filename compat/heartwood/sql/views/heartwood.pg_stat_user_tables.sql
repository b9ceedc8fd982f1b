-- PostgreSQL's pg_stat_user_tables with the tablename column Heartwood's monitoring query reads.
create or replace view heartwood.pg_stat_user_tables
with (security_invoker = true)
as
select
    s.*,
    s.relname as tablename
from pg_catalog.pg_stat_user_tables as s;

comment on view heartwood.pg_stat_user_tables is 'pg_catalog.pg_stat_user_tables plus tablename (= relname), which Heartwood''s monitoring query reads; found first with search_path = heartwood, pg_catalog, public';

-- every column of PostgreSQL's view keeps its meaning; the added ones say what they are
do $block$
declare
    v_column text;
begin
    for v_column in
        select a.attname from pg_catalog.pg_attribute as a
         where a.attrelid = 'heartwood.pg_stat_user_tables'::regclass and a.attnum > 0 and not a.attisdropped
    loop
        execute pg_catalog.format('comment on column heartwood.pg_stat_user_tables.%I is %L', v_column,
            case v_column when 'tablename' then 'relname, under the name Heartwood''s query reads'
                          when 'indexname' then 'indexrelname, under the name Heartwood''s query reads'
                          else 'pg_catalog.pg_stat_user_tables.' || v_column end);
    end loop;
end
$block$;
