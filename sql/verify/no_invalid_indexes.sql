-- description: No index is invalid (as a failed concurrent build leaves one).
-- severity: error
-- fix: drop index concurrently the invalid index and build it again (agentdb model index rebuilds embedding indexes)
select
    i.indrelid::regclass::text as "table",
    i.indexrelid::regclass::text as index
from pg_catalog.pg_index as i
inner join pg_catalog.pg_class as c on i.indexrelid = c.oid
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and not i.indisvalid
    and c.relkind = 'i'
order by 1, 2
