-- description: Heartwood monitoring: how often each index is used, with its size.
select
    s.schemaname || '.' || s.relname as table_name,
    s.indexrelname as index_name,
    s.idx_scan as scans,
    s.idx_tup_read as tuples_read,
    pg_size_pretty(pg_relation_size(s.indexrelid)) as size
from pg_stat_user_indexes as s
where s.schemaname = any(ops.domain_schemas())
order by s.idx_scan desc, 1, 2
