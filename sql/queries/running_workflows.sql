-- description: Running workflows with their progress (finished tasks over all tasks), oldest first.
-- param: tenant text = personal  Tenant slug, id or external id
select
    w.id,
    w.name,
    w.workflow_type,
    w.current_step,
    w.started_at,
    w.total_tasks,
    w.completed_tasks,
    w.failed_tasks,
    round(100.0 * (w.completed_tasks + w.failed_tasks) / nullif(w.total_tasks, 0), 1) as progress_percent
from work.workflows as w
where
    w.tenant_id = (select core.resolve_tenant(:tenant))
    and w.status = 'running'
order by w.started_at, w.id
