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
