"""The catalog queries behind a snapshot: one query per kind of object, each returning
(object, attribute, value) rows. Catalog only, never table data.

What is left out, everywhere: the system schemas, the bookkeeping schemas (agentdb_meta*,
yoyo's public._yoyo_* and yoyo_lock tables), objects that belong to an extension (they come with it),
oids, statistics, and everything about partition children except which children exist:
their columns, indexes, constraints, triggers and grants are clones of the parent's.
Children made by partition upkeep (<parent>_pYYYY_MM[_DD]) and the per-model HNSW indexes
made when an embedding model is registered (<table>_embedding_m<id>_idx) are data-driven,
so they are left out too.
"""

from __future__ import annotations

# a relation or object in a schema the snapshot covers
IN_SCOPE = """
    {ns}.nspname not in ('pg_catalog', 'information_schema')
    and {ns}.nspname not like 'pg\\_toast%' and {ns}.nspname not like 'pg\\_temp%'
    and {ns}.nspname not like 'agentdb\\_meta%'
"""
NOT_EXTENSION_MEMBER = """
    not exists (select from pg_catalog.pg_depend as d
                where d.classid = {catalog}::regclass and d.objid = {oid} and d.deptype = 'e')
"""
UPKEEP_PARTITION = r"'_p[0-9]{4}_[0-9]{2}(_[0-9]{2})?$'"
EMBEDDING_INDEX = r"'_embedding_m[0-9]+_idx$'"

ACL = """(select coalesce(pg_catalog.string_agg(
            case when a.grantee = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(a.grantee) end
            || '=' || a.privilege_type || case when a.is_grantable then '*' else '' end, ', '
            order by 1), '')
         from pg_catalog.aclexplode(coalesce({acl}, pg_catalog.acldefault({kind}, {owner}))) as a)"""


def _scope(ns: str = "n") -> str:
    return IN_SCOPE.format(ns=ns)


def _not_yoyo(rel: str = "c") -> str:
    """Not one of yoyo's bookkeeping tables in public (_yoyo_migration, _yoyo_log, yoyo_lock ...)."""
    return (f"not (n.nspname = 'public' and coalesce({rel}.relname like '\\_yoyo%' "
            f"or {rel}.relname = 'yoyo_lock', false))")


def _own(catalog: str, oid: str) -> str:
    return NOT_EXTENSION_MEMBER.format(catalog=f"'{catalog}'", oid=oid)


# plain, partitioned, foreign tables and materialized views (not partition children)
RELATIONS = f"""
with rel as (
    select c.oid, n.nspname || '.' || c.relname as name, c.relkind, c.relowner, c.relacl,
           c.relrowsecurity, c.relforcerowsecurity, c.relpersistence, c.reloptions
    from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where {_scope()} and c.relkind in ('r', 'p', 'f', 'm', 'v') and not c.relispartition
      and {_not_yoyo('c')} and {_own('pg_class', 'c.oid')}
)
select case relkind when 'v' then 'view ' when 'm' then 'materialized view ' else 'table ' end || name,
       x.attribute, x.value
from rel, lateral (values
    ('owner', pg_catalog.pg_get_userbyid(relowner)::text),
    ('grants', {ACL.format(acl='relacl', kind="'r'", owner='relowner')}),
    ('comment', pg_catalog.obj_description(oid, 'pg_class')),
    ('row level security', case when relkind in ('v', 'm') then null
        else case when relrowsecurity then 'enabled' else 'disabled' end end),
    ('forced row level security', case when relkind in ('v', 'm') then null
        else case when relforcerowsecurity then 'forced' else 'not forced' end end),
    ('persistence', case relpersistence when 'u' then 'unlogged' else null end),
    ('options', pg_catalog.array_to_string(reloptions, ', ')),
    ('partition key', case when relkind = 'p' then pg_catalog.pg_get_partkeydef(oid) end),
    ('definition', case when relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(oid, true) end)
) as x (attribute, value)
"""

COLUMNS = f"""
select 'column ' || n.nspname || '.' || c.relname || '.' || a.attname, x.attribute, x.value
from pg_catalog.pg_attribute as a
join pg_catalog.pg_class as c on c.oid = a.attrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef as ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
cross join lateral (values
    ('type', pg_catalog.format_type(a.atttypid, a.atttypmod)),
    ('not null', case when a.attnotnull then 'not null' else 'null' end),
    ('default', case when a.attgenerated = '' then pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end),
    ('generated', case when a.attgenerated <> '' then pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end),
    ('identity', nullif(a.attidentity::text, '')),
    ('collation', case when a.attcollation <> 0 and a.attcollation <> (
        select t.typcollation from pg_catalog.pg_type as t where t.oid = a.atttypid)
        then a.attcollation::regcollation::text end),
    ('grants', case when a.attacl is not null
        then {ACL.format(acl='a.attacl', kind="'c'", owner='c.relowner')} end),
    ('comment', pg_catalog.col_description(c.oid, a.attnum))
) as x (attribute, value)
where {_scope()} and c.relkind in ('r', 'p', 'f', 'm', 'v') and not c.relispartition
  and a.attnum > 0 and not a.attisdropped
  and {_not_yoyo('c')} and {_own('pg_class', 'c.oid')}
"""

CONSTRAINTS = f"""
select 'constraint ' || n.nspname || '.' || coalesce(c.relname, t.typname) || '.' || k.conname,
       x.attribute, x.value
from pg_catalog.pg_constraint as k
join pg_catalog.pg_namespace as n on n.oid = k.connamespace
left join pg_catalog.pg_class as c on c.oid = k.conrelid
left join pg_catalog.pg_type as t on t.oid = k.contypid
cross join lateral (values
    ('definition', pg_catalog.pg_get_constraintdef(k.oid, true)),
    ('comment', pg_catalog.obj_description(k.oid, 'pg_constraint'))
) as x (attribute, value)
where {_scope()} and k.conparentid = 0 and coalesce(not c.relispartition, true)
  -- a relation's constraint only with its relation: Citus hides its shards (on a node that
  -- holds some, e.g. the coordinator's copies of reference tables) from pg_class, not from
  -- pg_constraint
  and (k.conrelid = 0 or c.oid is not null)
  and {_not_yoyo('c')}
  and {_own('pg_class', 'coalesce(c.oid, 0)')} and {_own('pg_type', 'coalesce(t.oid, 0)')}
"""

INDEXES = f"""
select 'index ' || n.nspname || '.' || ic.relname, x.attribute, x.value
from pg_catalog.pg_index as i
join pg_catalog.pg_class as ic on ic.oid = i.indexrelid
join pg_catalog.pg_class as tc on tc.oid = i.indrelid
join pg_catalog.pg_namespace as n on n.oid = ic.relnamespace
cross join lateral (values
    ('definition', pg_catalog.pg_get_indexdef(i.indexrelid)),
    ('comment', pg_catalog.obj_description(ic.oid, 'pg_class'))
) as x (attribute, value)
where {_scope()} and not tc.relispartition and ic.relname !~ {EMBEDDING_INDEX}
  and {_not_yoyo('tc')} and {_own('pg_class', 'tc.oid')}
"""

TRIGGERS = f"""
select 'trigger ' || n.nspname || '.' || c.relname || '.' || g.tgname, x.attribute, x.value
from pg_catalog.pg_trigger as g
join pg_catalog.pg_class as c on c.oid = g.tgrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
cross join lateral (values
    ('definition', pg_catalog.pg_get_triggerdef(g.oid)),
    ('enabled', case g.tgenabled when 'O' then 'enabled' when 'D' then 'disabled'
        when 'R' then 'replica only' when 'A' then 'always' end),
    ('comment', pg_catalog.obj_description(g.oid, 'pg_trigger'))
) as x (attribute, value)
where {_scope()} and not g.tgisinternal and g.tgparentid = 0 and not c.relispartition
"""

POLICIES = f"""
select 'policy ' || n.nspname || '.' || c.relname || '.' || po.polname, x.attribute, x.value
from pg_catalog.pg_policy as po
join pg_catalog.pg_class as c on c.oid = po.polrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
cross join lateral (values
    ('command', case po.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update'
        when 'd' then 'delete' else 'all' end),
    ('permissive', case when po.polpermissive then 'permissive' else 'restrictive' end),
    ('roles', (select pg_catalog.string_agg(case when r = 0 then 'PUBLIC' else pg_catalog.pg_get_userbyid(r) end,
        ', ' order by 1) from pg_catalog.unnest(po.polroles) as r)),
    ('using', pg_catalog.pg_get_expr(po.polqual, po.polrelid)),
    ('with check', pg_catalog.pg_get_expr(po.polwithcheck, po.polrelid)),
    ('comment', pg_catalog.obj_description(po.oid, 'pg_policy'))
) as x (attribute, value)
where {_scope()} and not c.relispartition
"""
