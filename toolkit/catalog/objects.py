"""Catalog queries for what is not a table's part: routines, schemas, extensions, types,
sequences and partitions (same row shape and scope as queries.py)."""

from __future__ import annotations

from .queries import ACL, UPKEEP_PARTITION, _not_yoyo, _own, _scope

ROUTINES = f"""
select case p.prokind when 'p' then 'procedure ' when 'a' then 'aggregate ' else 'function ' end
       || n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
       x.attribute, x.value
from pg_catalog.pg_proc as p
join pg_catalog.pg_namespace as n on n.oid = p.pronamespace
join pg_catalog.pg_language as l on l.oid = p.prolang
cross join lateral (values
    ('returns', pg_catalog.pg_get_function_result(p.oid)),
    ('arguments', pg_catalog.pg_get_function_arguments(p.oid)),
    ('language', l.lanname),
    ('body', case when p.prosqlbody is not null then pg_catalog.pg_get_function_sqlbody(p.oid)
        else p.prosrc end),
    ('volatility', case p.provolatile when 'i' then 'immutable' when 's' then 'stable' else 'volatile' end),
    ('strict', case when p.proisstrict then 'strict' else 'called on null input' end),
    ('security', case when p.prosecdef then 'definer' else 'invoker' end),
    ('settings', pg_catalog.array_to_string(p.proconfig, ', ')),
    ('parallel', case p.proparallel when 's' then 'safe' when 'r' then 'restricted' else 'unsafe' end),
    ('owner', pg_catalog.pg_get_userbyid(p.proowner)::text),
    ('grants', {ACL.format(acl='p.proacl', kind="'f'", owner='p.proowner')}),
    ('comment', pg_catalog.obj_description(p.oid, 'pg_proc'))
) as x (attribute, value)
where {_scope()} and {_own('pg_proc', 'p.oid')}
"""

SCHEMAS = f"""
select 'schema ' || n.nspname, x.attribute, x.value
from pg_catalog.pg_namespace as n
cross join lateral (values
    ('owner', pg_catalog.pg_get_userbyid(n.nspowner)::text),
    ('grants', {ACL.format(acl='n.nspacl', kind="'n'", owner='n.nspowner')}),
    ('comment', pg_catalog.obj_description(n.oid, 'pg_namespace'))
) as x (attribute, value)
where {_scope()} and {_own('pg_namespace', 'n.oid')}
"""

EXTENSIONS = """
select 'extension ' || e.extname, x.attribute, x.value
from pg_catalog.pg_extension as e
join pg_catalog.pg_namespace as n on n.oid = e.extnamespace
cross join lateral (values ('version', e.extversion), ('schema', n.nspname)) as x (attribute, value)
where e.extname <> 'plpgsql'
"""

# enums, domains, ranges and free-standing composite types (not a table's row type, not arrays)
TYPES = f"""
select 'type ' || n.nspname || '.' || t.typname, x.attribute, x.value
from pg_catalog.pg_type as t
join pg_catalog.pg_namespace as n on n.oid = t.typnamespace
left join pg_catalog.pg_class as c on c.oid = t.typrelid
cross join lateral (values
    ('kind', case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'r' then 'range'
        when 'm' then 'multirange' else 'composite' end),
    ('labels', case when t.typtype = 'e' then (select pg_catalog.string_agg(e.enumlabel, ', '
        order by e.enumsortorder) from pg_catalog.pg_enum as e where e.enumtypid = t.oid) end),
    ('base type', case when t.typtype = 'd' then pg_catalog.format_type(t.typbasetype, t.typtypmod) end),
    ('default', t.typdefault),
    ('owner', pg_catalog.pg_get_userbyid(t.typowner)::text),
    ('comment', pg_catalog.obj_description(t.oid, 'pg_type'))
) as x (attribute, value)
where {_scope()} and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and c.relkind = 'c'))
  and {_own('pg_type', 't.oid')}
"""

SEQUENCES = f"""
select 'sequence ' || n.nspname || '.' || c.relname, x.attribute, x.value
from pg_catalog.pg_sequence as s
join pg_catalog.pg_class as c on c.oid = s.seqrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
cross join lateral (values
    ('type', pg_catalog.format_type(s.seqtypid, null)),
    ('increment', s.seqincrement::text),
    ('owner', pg_catalog.pg_get_userbyid(c.relowner)::text),
    ('grants', {ACL.format(acl='c.relacl', kind="'s'", owner='c.relowner')}),
    ('comment', pg_catalog.obj_description(c.oid, 'pg_class'))
) as x (attribute, value)
where {_scope()} and {_not_yoyo('c')} and {_own('pg_class', 'c.oid')}
"""

# which partitions a partitioned table has (the default one and any made by a migration),
# with their bounds; children made by upkeep are left out
PARTITIONS = f"""
select 'partition ' || n.nspname || '.' || c.relname, x.attribute, x.value
from pg_catalog.pg_inherits as h
join pg_catalog.pg_class as c on c.oid = h.inhrelid
join pg_catalog.pg_class as p on p.oid = h.inhparent
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
join pg_catalog.pg_namespace as pn on pn.oid = p.relnamespace
cross join lateral (values
    ('partition of', pn.nspname || '.' || p.relname),
    ('bound', pg_catalog.pg_get_expr(c.relpartbound, c.oid))
) as x (attribute, value)
where {_scope()} and c.relispartition and c.relkind in ('r', 'p', 'f')
  and not (c.relname ~ {UPKEEP_PARTITION} and c.relname like p.relname || '\\_p%')
"""
