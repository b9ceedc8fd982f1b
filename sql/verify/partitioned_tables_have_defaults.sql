-- description: Every partitioned table has a default partition, so no insert fails for a missing range.
-- severity: error
-- fix: select ops.ensure_time_partitions('schema.table')
select c.oid::regclass::text as "table"
from pg_catalog.pg_class as c
inner join pg_catalog.pg_partitioned_table as p on c.oid = p.partrelid
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and not c.relispartition
    and p.partdefid = 0
order by 1
