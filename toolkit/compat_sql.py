"""The SQL of toolkit.compat: installed packs, forgetting one, and what uninstall must not take along."""

# Installed packs: migration sets named compat_<pack> with applied migrations.
INSTALLED = """
select migration_set, max(applied_at) from agentdb_meta.applied_migrations
 where migration_set like %(prefix)s group by migration_set
"""

# A rolled-back set's remaining rows: its repeatable objects (its migrations' rows went
# with the rollback).
FORGET_SET = """
delete from agentdb_meta.repeatable_objects where migration_set = %(set)s
"""

# Objects outside the pack's schema that depend on something inside it (a view of the
# application's over a pack view, a trigger calling a pack function...): uninstalling
# the pack would have to drop them too, so it refuses instead.
OUTSIDE_DEPENDENTS = """
with inside as (
    select 'pg_class'::regclass as classid, c.oid as objid from pg_catalog.pg_class as c
     where c.relnamespace = %(schema)s::regnamespace
    union all
    select 'pg_proc'::regclass, p.oid from pg_catalog.pg_proc as p where p.pronamespace = %(schema)s::regnamespace
    union all
    select 'pg_type'::regclass, t.oid from pg_catalog.pg_type as t where t.typnamespace = %(schema)s::regnamespace
),
dependents as (
    select d.classid, d.objid, d.objsubid,
           case d.classid
               when 'pg_rewrite'::regclass then (select c.relnamespace from pg_catalog.pg_rewrite as r
                   join pg_catalog.pg_class as c on c.oid = r.ev_class where r.oid = d.objid)
               when 'pg_trigger'::regclass then (select c.relnamespace from pg_catalog.pg_trigger as g
                   join pg_catalog.pg_class as c on c.oid = g.tgrelid where g.oid = d.objid)
               when 'pg_class'::regclass then (select c.relnamespace from pg_catalog.pg_class as c where c.oid = d.objid)
               when 'pg_proc'::regclass then (select p.pronamespace from pg_catalog.pg_proc as p where p.oid = d.objid)
               when 'pg_type'::regclass then (select t.typnamespace from pg_catalog.pg_type as t where t.oid = d.objid)
               when 'pg_attrdef'::regclass then (select c.relnamespace from pg_catalog.pg_attrdef as a
                   join pg_catalog.pg_class as c on c.oid = a.adrelid where a.oid = d.objid)
               when 'pg_constraint'::regclass then (select coalesce(c.relnamespace, k.connamespace)
                   from pg_catalog.pg_constraint as k left join pg_catalog.pg_class as c on c.oid = k.conrelid
                   where k.oid = d.objid)
               when 'pg_policy'::regclass then (select c.relnamespace from pg_catalog.pg_policy as y
                   join pg_catalog.pg_class as c on c.oid = y.polrelid where y.oid = d.objid)
           end as namespace
      from pg_catalog.pg_depend as d
      join inside as i on d.refclassid = i.classid and d.refobjid = i.objid
     where d.deptype in ('n', 'a')
)
select distinct case when x.classid = 'pg_rewrite'::regclass
                     then 'view ' || (select r.ev_class::regclass::text from pg_catalog.pg_rewrite as r
                                       where r.oid = x.objid)
                     else pg_catalog.pg_describe_object(x.classid, x.objid, x.objsubid) end
  from dependents as x
 where x.namespace is distinct from %(schema)s::regnamespace
 order by 1
"""

# Tables (and other stores of rows) someone made inside a pack's schema: dropping the
# schema would drop their rows, so uninstall refuses.
STORED_RELATIONS = """
select c.oid::regclass::text from pg_catalog.pg_class as c
 where c.relnamespace = %(schema)s::regnamespace and c.relkind in ('r', 'p', 'm', 'f')
 order by 1
"""
