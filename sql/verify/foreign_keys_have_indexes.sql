-- description: Every foreign key has an index whose leading columns are its columns, so deletes and joins on it never scan the table.
-- severity: error
-- fix: create an index on the foreign key's columns (concurrently, in a non-transactional migration)
select
    k.conrelid::regclass::text as "table",
    k.conname as foreign_key
from pg_catalog.pg_constraint as k
where
    k.contype = 'f'
    and k.conparentid = 0
    and k.connamespace::regnamespace::text = any(:schemas)
    and not exists (
        select 1 from pg_catalog.pg_index as i
        where
            i.indrelid = k.conrelid
            and (select array_agg(x order by x) from unnest(k.conkey) as x)
            = (select array_agg(x order by x) from unnest((i.indkey::smallint[])[0:cardinality(k.conkey) - 1]) as x)
    )
order by 1, 2
