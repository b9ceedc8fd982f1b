-- PostgreSQL's pg_stat_user_indexes with the tablename and indexname columns Heartwood reads.
create or replace view heartwood.pg_stat_user_indexes
with (security_invoker = true)
as
select
    s.*,
    s.relname as tablename,
    s.indexrelname as indexname
from pg_catalog.pg_stat_user_indexes as s;

comment on view heartwood.pg_stat_user_indexes is 'pg_catalog.pg_stat_user_indexes plus tablename (= relname) and indexname (= indexrelname), which Heartwood''s monitoring query reads; found first with search_path = heartwood, pg_catalog, public';

-- every column of PostgreSQL's view keeps its meaning; the added ones say what they are
do $block$
declare
    v_column text;
begin
    for v_column in
        select a.attname from pg_catalog.pg_attribute as a
         where a.attrelid = 'heartwood.pg_stat_user_indexes'::regclass and a.attnum > 0 and not a.attisdropped
    loop
        execute pg_catalog.format('comment on column heartwood.pg_stat_user_indexes.%I is %L', v_column,
            case v_column when 'tablename' then 'relname, under the name Heartwood''s query reads'
                          when 'indexname' then 'indexrelname, under the name Heartwood''s query reads'
                          else 'pg_catalog.pg_stat_user_indexes.' || v_column end);
    end loop;
end
$block$;
