-- description: Heartwood monitoring: indexes never scanned since statistics were reset, largest first (keys and unique indexes excluded: they enforce rules).
select
    s.schemaname || '.' || s.relname as table_name,
    s.indexrelname as index_name,
    pg_size_pretty(pg_relation_size(s.indexrelid)) as size
from pg_stat_user_indexes as s
inner join pg_index as i on s.indexrelid = i.indexrelid
where
    s.schemaname = any(ops.domain_schemas())
    and s.idx_scan = 0
    and not i.indisunique
    and not i.indisprimary
order by pg_relation_size(s.indexrelid) desc, 1, 2
