-- description: Every time-partitioned table has partitions from now to the number of units ahead its ops.partition_policies row asks for (a month ahead for one without a policy).
-- severity: error
-- fix: agentdb maintain (or select ops.ensure_time_partitions('schema.table', unit, 0, premake))
select
    c.oid::regclass::text as "table",
    probe.at as uncovered
from pg_catalog.pg_class as c
inner join pg_catalog.pg_partitioned_table as p on c.oid = p.partrelid and p.partstrat = 'r'
left join ops.partition_policies as policy on c.oid::regclass::text = policy.table_name
cross join lateral (
    select now() + make_interval(
        months => case when coalesce(policy.unit, 'month') = 'month' then step else 0 end,
        days => case policy.unit when 'week' then 7 * step when 'day' then step else 0 end
    ) as at
    from generate_series(0, coalesce(policy.premake - 1, 1)) as step
) as probe
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
