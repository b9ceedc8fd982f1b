-- description: Heartwood monitoring: table, index and total sizes (partitioned tables summed over their partitions), largest first.
-- param: limit integer = 30  How many tables
select
    c.oid::regclass::text as table_name,
    pg_size_pretty(sum(pg_table_size(coalesce(p.oid, c.oid)))) as table_size,
    pg_size_pretty(sum(pg_indexes_size(coalesce(p.oid, c.oid)))) as index_size,
    pg_size_pretty(sum(pg_total_relation_size(coalesce(p.oid, c.oid)))) as total_size
from pg_class as c
left join pg_inherits as h on c.oid = h.inhparent
left join pg_class as p on h.inhrelid = p.oid
where
    c.relnamespace::regnamespace::text = any(ops.domain_schemas())
    and c.relkind in ('r', 'p')
    and not c.relispartition
group by c.oid
order by sum(pg_total_relation_size(coalesce(p.oid, c.oid))) desc, 1
limit :limit
