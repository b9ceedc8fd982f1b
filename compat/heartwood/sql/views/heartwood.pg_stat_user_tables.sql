-- PostgreSQL's pg_stat_user_tables with the tablename column Heartwood's monitoring query reads.
create or replace view heartwood.pg_stat_user_tables
with (security_invoker = true)
as
select
    s.*,
    s.relname as tablename
from pg_catalog.pg_stat_user_tables as s;

comment on view heartwood.pg_stat_user_tables is 'pg_catalog.pg_stat_user_tables plus tablename (= relname), which Heartwood''s monitoring query reads; found first with search_path = heartwood, pg_catalog, public';
