-- description: Every table with an updated_at column keeps it with the _100_set_updated_at trigger.
-- severity: error
-- fix: create trigger _100_set_updated_at before update on the table for each row execute function ops.tg_set_updated_at()
select c.oid::regclass::text as "table"
from pg_catalog.pg_class as c
inner join pg_catalog.pg_attribute as a on c.oid = a.attrelid and a.attname = 'updated_at' and not a.attisdropped
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and c.relkind in ('r', 'p')
    and not c.relispartition
    and not exists (
        select 1 from pg_catalog.pg_trigger as t
        where t.tgrelid = c.oid and t.tgname = '_100_set_updated_at' and t.tgenabled <> 'D'
    )
order by 1
