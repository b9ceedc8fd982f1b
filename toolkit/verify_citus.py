"""`agentdb verify` on a Citus cluster: the invariants of a distributed agentdb, checked
against what ops.citus_distribution_plan() says the schema should be. They run only where
Citus is installed and the schema distributed (some table in pg_dist_partition); elsewhere
they are left out of the findings."""

from __future__ import annotations

import psycopg


def applies(conn: psycopg.Connection) -> bool:
    """Citus present and this database distributed."""
    if not conn.execute("select exists (select 1 from pg_catalog.pg_extension where extname = 'citus')").fetchone()[0]:
        return False
    return conn.execute("select exists (select 1 from pg_catalog.pg_dist_partition)").fetchone()[0]


def _rows(cursor) -> list[dict]:
    columns = [c.name for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


# the tenant tables of the plan: hash-distributed by tenant_id, all in one colocation group
# (the group of most of them, so the one table that left it is named)
TENANT_TABLES = """
with planned as (
    select p.table_name from ops.citus_distribution_plan() as p where p.kind = 'distributed'
),
actual as (
    select pl.table_name, d.partmethod, d.colocationid,
           case when d.partmethod = 'h' then pg_catalog.column_to_column_name(d.logicalrelid, d.partkey) end as column_name
      from planned as pl
      left join pg_catalog.pg_dist_partition as d on d.logicalrelid = pl.table_name::regclass
),
main_group as (
    select a.colocationid from actual as a where a.partmethod = 'h'
     group by a.colocationid order by count(*) desc, a.colocationid limit 1
)
select a.table_name,
       case when a.partmethod is null then 'not distributed'
            when a.partmethod <> 'h' then 'not hash-distributed (partmethod ' || a.partmethod::text || ')'
            when a.column_name is distinct from 'tenant_id' then 'distributed by ' || coalesce(a.column_name, '?')
            else 'colocation group ' || a.colocationid || ', not the tenant group ' || g.colocationid end as problem
  from actual as a cross join main_group as g
 where a.partmethod is distinct from 'h' or a.column_name is distinct from 'tenant_id'
    or a.colocationid is distinct from g.colocationid
 order by 1
"""

# the global tables of the plan: reference tables with a placement on every node
REFERENCE_TABLES = """
with planned as (
    select p.table_name from ops.citus_distribution_plan() as p where p.kind = 'reference'
),
nodes as (
    select n.groupid from pg_catalog.pg_dist_node as n where n.isactive and n.noderole = 'primary'
)
select pl.table_name,
       case when d.partmethod is null then 'not in Citus'
            when d.partmethod <> 'n' or d.repmodel <> 't' then 'not a reference table'
            else 'no placement on node group ' || n.groupid end as problem
  from planned as pl
  left join pg_catalog.pg_dist_partition as d on d.logicalrelid = pl.table_name::regclass
  left join nodes as n on d.partmethod = 'n' and d.repmodel = 't' and not exists (
      select 1 from pg_catalog.pg_dist_shard as s join pg_catalog.pg_dist_placement as p on p.shardid = s.shardid
       where s.logicalrelid = d.logicalrelid and p.groupid = n.groupid)
 where d.partmethod is null or d.partmethod <> 'n' or d.repmodel <> 't' or n.groupid is not null
 order by 1, 2
"""

# no shard left behind: every placement on an active node, one placement per shard of a
# distributed table, nothing waiting in Citus' cleanup records (a move or split's leftovers)
PLACEMENTS = """
select s.logicalrelid::regclass::text as table_name, p.shardid, 'placement on node group ' || p.groupid
       || ' that is not an active primary node' as problem
  from pg_catalog.pg_dist_placement as p join pg_catalog.pg_dist_shard as s on s.shardid = p.shardid
 where not exists (select 1 from pg_catalog.pg_dist_node as n
                    where n.groupid = p.groupid and n.isactive and n.noderole = 'primary')
union all
select s.logicalrelid::regclass::text, s.shardid, count(p.placementid) || ' placements (expected 1)'
  from pg_catalog.pg_dist_shard as s
  join pg_catalog.pg_dist_partition as d on d.logicalrelid = s.logicalrelid and d.partmethod = 'h'
  left join pg_catalog.pg_dist_placement as p on p.shardid = s.shardid
 group by s.logicalrelid, s.shardid
having count(p.placementid) <> 1
union all
select c.object_name, null, 'left behind on node group ' || c.node_group_id || ' (cleanup record '
       || c.record_id || ', operation ' || c.operation_id || ')'
  from pg_catalog.pg_dist_cleanup as c
 order by 1, 2
"""

# the functions of the plan: propagated; the tenant API delegated by p_tenant_id, colocated
# with the tenant tables, forced as the plan says
FUNCTIONS = """
with planned as (
    select p.kind, p.table_name as function_name, p.statement
      from ops.citus_distribution_plan() as p where p.kind in ('function', 'routed function')
),
tenant_group as (
    select d.colocationid from pg_catalog.pg_dist_partition as d
     where d.logicalrelid = (select p.table_name from ops.citus_distribution_plan() as p
                              where p.kind = 'distributed' order by p.step limit 1)::regclass
)
select pl.function_name,
       case when o.objid is null then 'not propagated to the workers'
            when o.distribution_argument_index is null then 'not delegated (no distribution argument)'
            when o.distribution_argument_index + 1 <> pg_catalog.array_position(f.proargnames, 'p_tenant_id')
                then 'delegated by argument ' || (o.distribution_argument_index + 1) || ', not p_tenant_id'
            when o.colocationid is distinct from g.colocationid then 'not colocated with the tenant tables'
            else 'force_delegation ' || coalesce(o.force_delegation::text, 'null') || ', the plan says '
                 || (pl.statement like '%force_delegation => true%') end as problem
  from planned as pl
  join pg_catalog.pg_proc as f on f.oid = pl.function_name::regprocedure
  cross join tenant_group as g
  left join pg_catalog.pg_dist_object as o on o.classid = 'pg_catalog.pg_proc'::regclass and o.objid = f.oid
 where o.objid is null
    or pl.kind = 'routed function' and (
           o.distribution_argument_index is null
        or o.distribution_argument_index + 1 <> pg_catalog.array_position(f.proargnames, 'p_tenant_id')
        or o.colocationid is distinct from g.colocationid
        or coalesce(o.force_delegation, false) <> (pl.statement like '%force_delegation => true%'))
 order by 1
"""


def _query(sql: str):
    def check(conn: psycopg.Connection, project) -> list[dict]:  # noqa: ARG001 - the invariant signature
        with conn.transaction():
            conn.execute("select pg_catalog.set_config('search_path', '', true)")  # names as the plan spells them
            return _rows(conn.execute(sql))

    return check


CHECKS = [
    ("citus_tenant_tables_colocated", "error",
     "On a Citus cluster: every tenant table is distributed by tenant_id, all in one colocation group.",
     "agentdb distribute (or update_distributed_table_colocation(table, colocate_with => the tenant group))",
     _query(TENANT_TABLES)),
    ("citus_reference_tables_everywhere", "error",
     "On a Citus cluster: every global table is a reference table with a placement on every active node.",
     "agentdb distribute; for a missing placement select replicate_reference_tables()",
     _query(REFERENCE_TABLES)),
    ("citus_no_shard_left_behind", "error",
     "On a Citus cluster: every shard has one placement, on an active node, and no move or split left "
     "shards waiting for cleanup.",
     "select citus_cleanup_orphaned_resources(); for a placement on a removed node, move it "
     "(citus_move_shard_placement) or run agentdb cluster rebalance",
     _query(PLACEMENTS)),
    ("citus_functions_delegated", "error",
     "On a Citus cluster: every function is on the workers, and the tenant API is delegated by p_tenant_id "
     "to the worker holding the tenant.",
     "agentdb distribute (it re-delegates functions propagated without their tenant argument)",
     _query(FUNCTIONS)),
]
