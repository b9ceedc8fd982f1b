-- description: No enabled retention policy has rows overdue by more than a day (agentdb maintain runs).
-- severity: warning
-- fix: run agentdb maintain from cron; read its output for skipped steps
select
    p.id as policy,
    p.table_name,
    p.time_column,
    p.keep_for::text as keep_for,
    r.rows as overdue_rows
from ops.retention_policies as p
cross join lateral ops.apply_retention_policy(p.id, true, interval '1 day') as r
where
    p.is_enabled
    and r.rows > 0
order by 1
