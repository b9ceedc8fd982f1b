-- description: Citus readiness: on every tenant-scoped table (one with tenant_id) the primary key, unique keys and foreign keys to other tenant-scoped tables include tenant_id, so each tenant's rows can be co-located.
-- severity: error
-- fix: put tenant_id first in the key (and in the referenced key)
select
    k.conrelid::regclass::text as "table",
    k.conname as key,
    case k.contype when 'p' then 'primary key' when 'u' then 'unique' when 'f' then 'foreign key' end as kind
from pg_catalog.pg_constraint as k
inner join pg_catalog.pg_attribute as t on k.conrelid = t.attrelid and t.attname = 'tenant_id' and not t.attisdropped
where
    k.connamespace::regnamespace::text = any(:schemas)
    and k.contype in ('p', 'u', 'f')
    and k.conparentid = 0
    and not t.attnum = any(k.conkey)
    and (
        k.contype <> 'f'
        or exists (
            select 1 from pg_catalog.pg_attribute as r
            where r.attrelid = k.confrelid and r.attname = 'tenant_id' and not r.attisdropped
        )
    )
union all
select
    i.indrelid::regclass::text as "table",
    i.indexrelid::regclass::text as key,
    'unique index' as kind
from pg_catalog.pg_index as i
inner join pg_catalog.pg_class as c on i.indexrelid = c.oid
inner join pg_catalog.pg_attribute as t on i.indrelid = t.attrelid and t.attname = 'tenant_id' and not t.attisdropped
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and i.indisunique
    and not c.relispartition
    and not t.attnum = any(i.indkey::smallint[])
order by 1, 2
