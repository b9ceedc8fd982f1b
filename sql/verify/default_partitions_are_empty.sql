-- description: Default partitions hold no rows: rows land there only when no partition covers their time, and maintenance moves them.
-- severity: warning
-- fix: agentdb maintain (ops.ensure_time_partitions creates the partitions and moves the rows)
select
    p.partrelid::regclass::text as "table",
    p.partdefid::regclass::text as default_partition,
    ops.count_rows(p.partdefid::regclass) as rows
from pg_catalog.pg_partitioned_table as p
inner join pg_catalog.pg_class as c on p.partrelid = c.oid
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and p.partdefid <> 0
    and ops.count_rows(p.partdefid::regclass) > 0
order by 1
