-- description: Heartwood monitoring: the statements with the most total execution time (needs pg_stat_statements; says so when it is missing).
-- param: limit integer = 20  How many statements
select
    s.calls,
    round(s.total_ms::numeric, 1) as total_ms,
    round(s.mean_ms::numeric, 2) as mean_ms,
    s.rows,
    s.query
from ops.slowest_statements(:limit) as s
