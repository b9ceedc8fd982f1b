-- description: Every table has a primary key.
-- severity: error
-- fix: add a primary key (tenant_id first on tenant-scoped tables) in a new migration
select c.oid::regclass::text as "table"
from pg_catalog.pg_class as c
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and c.relkind in ('r', 'p')
    and not c.relispartition
    and not exists (select 1 from pg_catalog.pg_constraint as k where k.conrelid = c.oid and k.contype = 'p')
order by 1
