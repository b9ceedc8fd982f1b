-- A task and every task below it, depth first in creation order.
create or replace function work.task_tree(p_tenant_id uuid, p_task_id uuid)
returns table (
    id uuid, parent_task_id uuid, depth integer, task_type text, description text, status text, sort_path text[]
)
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    -- the tenant as a literal in both branches: Citus runs a recursive CTE only when it can
    -- see the distribution column's value (then on the one shard that holds the tenant)
    return query execute pg_catalog.format($sql$
        with recursive tree as (
            select t.tenant_id, t.id, t.parent_task_id, t.task_type, t.description, t.status, 0 as depth,
                   array[t.created_at::text || t.id::text] as sort_path
              from work.tasks as t
             where t.tenant_id = %1$L and t.id = %2$L
            union all
            select c.tenant_id, c.id, c.parent_task_id, c.task_type, c.description, c.status, p.depth + 1,
                   p.sort_path || (c.created_at::text || c.id::text)
              from work.tasks as c
              join tree as p on c.tenant_id = p.tenant_id and c.parent_task_id = p.id
             where c.tenant_id = %1$L
        )
        select tree.id, tree.parent_task_id, tree.depth, tree.task_type, tree.description, tree.status, tree.sort_path
          from tree
         order by tree.sort_path
    $sql$, p_tenant_id, p_task_id);
end;
$function$;

comment on function work.task_tree(uuid, uuid) is
'Task p_task_id of tenant p_tenant_id and every task below it (parent_task_id), with its depth and a sort path (creation time and id of each ancestor): rows in depth-first creation order. The tenant is written into the recursive query as a literal, so on Citus it runs on the one shard holding the tenant (the task_tree named query)';
