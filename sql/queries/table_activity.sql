-- description: Heartwood monitoring: activity per table (rows read by scans, written, live and dead rows, last vacuum and analyze).
select
    s.schemaname || '.' || s.relname as table_name,
    s.seq_scan,
    s.idx_scan,
    s.n_tup_ins as inserted,
    s.n_tup_upd as updated,
    s.n_tup_del as deleted,
    s.n_live_tup as live_rows,
    s.n_dead_tup as dead_rows,
    greatest(s.last_vacuum, s.last_autovacuum) as last_vacuum,
    greatest(s.last_analyze, s.last_autoanalyze) as last_analyze
from pg_stat_user_tables as s
where s.schemaname = any(ops.domain_schemas())
order by s.n_tup_ins + s.n_tup_upd + s.n_tup_del desc, 1
