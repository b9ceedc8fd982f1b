-- description: Every time-partitioned table has partitions for now and a month ahead.
-- severity: error
-- fix: agentdb maintain, or select ops.ensure_time_partitions('schema.table')
select
    c.oid::regclass::text as "table",
    probe.at as uncovered
from pg_catalog.pg_class as c
inner join pg_catalog.pg_partitioned_table as p on c.oid = p.partrelid and p.partstrat = 'r'
cross join lateral (values (now()), (now() + interval '1 month')) as probe (at)
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and not c.relispartition
    and not exists (
        select 1
        from pg_catalog.pg_inherits as h
        inner join pg_catalog.pg_class as part on h.inhrelid = part.oid
        cross join lateral (
            select
                (regexp_match(pg_get_expr(part.relpartbound, part.oid), 'FROM \(''([^'']+)''\) TO'))[1]::timestamptz as lower_bound,
                (regexp_match(pg_get_expr(part.relpartbound, part.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz as upper_bound
        ) as b
        where h.inhparent = c.oid and probe.at >= b.lower_bound and probe.at < b.upper_bound
    )
order by 1, 2
