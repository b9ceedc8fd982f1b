-- description: A task and all its sub-tasks, depth first, with their depth and path.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: task uuid  The root task id
with recursive tree as (
    select
        t.tenant_id,
        t.id,
        t.parent_task_id,
        t.task_type,
        t.description,
        t.status,
        0 as depth,
        array[t.created_at::text || t.id::text] as sort_path
    from work.tasks as t
    where
        t.tenant_id = (select core.resolve_tenant(:tenant))
        and t.id = :task
    union all
    select
        c.tenant_id,
        c.id,
        c.parent_task_id,
        c.task_type,
        c.description,
        c.status,
        p.depth + 1 as depth,
        p.sort_path || (c.created_at::text || c.id::text) as sort_path
    from work.tasks as c
    inner join tree as p on c.tenant_id = p.tenant_id and c.parent_task_id = p.id
)
select
    tree.id,
    tree.parent_task_id,
    tree.depth,
    tree.task_type,
    tree.description,
    tree.status
from tree
order by tree.sort_path
