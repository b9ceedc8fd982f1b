-- The relation a trigger writes for a tenant: the table itself, or on a Citus worker the
-- table's shard of that tenant that lies on this node.
create or replace function ops.local_relation(p_table regclass, p_tenant_id uuid)
returns regclass
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_shard regclass;
begin
    if p_tenant_id is null or pg_catalog.to_regclass('pg_catalog.pg_dist_partition') is null then
        return p_table;
    end if;
    -- a trigger on a shard runs on the worker holding it; the same tenant's shard of a
    -- colocated table is on the same node, written there as a plain table (Citus' planner
    -- refuses much of what the upkeep statements do on a distributed table, and a query on a
    -- distributed table from within a shard is nested distributed execution)
    execute 'select pg_catalog.to_regclass(pg_catalog.shard_name(p.logicalrelid, '
            'pg_catalog.get_shard_id_for_distribution_column(p.logicalrelid, $2))) '
            'from pg_catalog.pg_dist_partition as p where p.logicalrelid = $1 and p.partmethod = ''h'''
       into v_shard using p_table, p_tenant_id;
    return coalesce(v_shard, p_table);
end;
$function$;

comment on function ops.local_relation(regclass, uuid) is
'The relation to write for tenant p_tenant_id: p_table itself on one node (and on a Citus coordinator, which holds no shards); on a Citus worker, p_table''s shard of that tenant when it is on this node (tenant tables are colocated, so a trigger on a shard finds the tenant''s rows of every other tenant table here). The BM25 upkeep and the other trigger writers write through it, so on Citus they run as plain statements on the local shards';
