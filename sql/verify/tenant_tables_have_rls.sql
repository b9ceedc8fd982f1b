-- description: Row-level security is enabled and forced, with the tenant_isolation policy (on a Citus coordinator its four per-command folds), on every tenant-scoped table.
-- severity: error
-- fix: select ops.secure_objects() (agentdb migrate runs it), or select ops.enable_tenant_rls('schema.table')
select
    c.oid::regclass::text as "table",
    c.relrowsecurity as enabled,
    c.relforcerowsecurity as forced,
    (select count(*) from pg_catalog.pg_policy as p where p.polrelid = c.oid) as policies
from pg_catalog.pg_class as c
inner join pg_catalog.pg_attribute as a
    on
        c.oid = a.attrelid
        and a.attname = case when c.oid = 'core.tenants'::regclass then 'id' else 'tenant_id' end
        and not a.attisdropped
where
    c.relnamespace::regnamespace::text = any(:schemas)
    and c.relkind in ('r', 'p')
    and not c.relispartition
    and (
        not c.relrowsecurity
        or not c.relforcerowsecurity
        or not (
            exists (select 1 from pg_catalog.pg_policy as p where p.polrelid = c.oid and p.polname = 'tenant_isolation')
            -- or, on a Citus coordinator, folded per command (ops.fold_restrictive_policies)
            or (select count(distinct p.polcmd) from pg_catalog.pg_policy as p
                 where p.polrelid = c.oid and p.polpermissive
                   and p.polname in ('tenant_isolation_select', 'tenant_isolation_insert',
                                     'tenant_isolation_update', 'tenant_isolation_delete')) = 4
        )
    )
order by 1
