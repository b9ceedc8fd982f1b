-- The Citus calls that distribute agentdb by tenant, generated from the catalog.
create or replace function ops.citus_distribution_plan()
returns table (step integer, statement text)
language sql
stable
security invoker
set search_path = ''
begin atomic
    select (row_number() over (order by ord, name))::integer, stmt
      from (
          select 0 as ord, 'core.tenants' as name,
                 'select create_distributed_table(''core.tenants'', ''id'');' as stmt
          union all
          select 1 as ord, c.oid::regclass::text as name,
                 pg_catalog.format('select create_distributed_table(%L, ''tenant_id'', colocate_with => ''core.tenants'');',
                                   c.oid::regclass::text) as stmt
            from pg_catalog.pg_class as c
            join pg_catalog.pg_attribute as a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
           where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
             and c.relkind in ('r', 'p') and not c.relispartition
          union all
          select 2 as ord, c.oid::regclass::text as name,
                 pg_catalog.format('select create_reference_table(%L);', c.oid::regclass::text) as stmt
            from pg_catalog.pg_class as c
           where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
             and c.relkind in ('r', 'p') and not c.relispartition
             and c.oid <> 'core.tenants'::regclass
             and not exists (select 1 from pg_catalog.pg_attribute as a
                              where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
      ) as plan (ord, name, stmt);
end;

comment on function ops.citus_distribution_plan() is
'The statements that distribute agentdb on Citus: core.tenants by id, every tenant-scoped table by tenant_id colocated with it, every global table as a reference table; found in the catalog, in the order to run them';
