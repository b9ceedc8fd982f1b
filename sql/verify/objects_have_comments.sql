-- description: Every table, view, column and function has a comment (the schema reference is generated from them).
-- severity: error
-- fix: comment on ... is '...' in the migration or the repeatable file that creates it
select
    kind,
    name
from (
    select
        case c.relkind when 'v' then 'view' when 'm' then 'view' else 'table' end as kind,
        c.oid::regclass::text as name
    from pg_catalog.pg_class as c
    where
        c.relnamespace::regnamespace::text = any(:schemas)
        and c.relkind in ('r', 'p', 'v', 'm')
        and not c.relispartition
        and obj_description(c.oid, 'pg_class') is null
    union all
    select
        'column' as kind,
        c.oid::regclass::text || '.' || a.attname as name
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_attribute as a on c.oid = a.attrelid and a.attnum > 0 and not a.attisdropped
    where
        c.relnamespace::regnamespace::text = any(:schemas)
        and c.relkind in ('r', 'p', 'v', 'm')
        and not c.relispartition
        and col_description(c.oid, a.attnum) is null
    union all
    select
        'function' as kind,
        p.oid::regprocedure::text as name
    from pg_catalog.pg_proc as p
    where
        p.pronamespace::regnamespace::text = any(:schemas)
        and obj_description(p.oid, 'pg_proc') is null
) as missing
order by 1, 2
