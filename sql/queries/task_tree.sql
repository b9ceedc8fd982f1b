-- description: A task and all its sub-tasks, depth first, with their depth and path.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: task uuid  The root task id
select
    tree.id,
    tree.parent_task_id,
    tree.depth,
    tree.task_type,
    tree.description,
    tree.status
from work.task_tree((select core.resolve_tenant(:tenant)), :task) as tree
order by tree.sort_path
