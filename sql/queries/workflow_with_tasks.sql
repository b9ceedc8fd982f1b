-- description: A workflow with its tasks as a JSON array in creation order (Tokyo-IA: json_agg(t.*) ... GROUP BY w.id).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: workflow uuid  The workflow id
select
    w.id,
    w.name,
    w.status,
    w.total_tasks,
    w.completed_tasks,
    w.failed_tasks,
    w.total_tokens,
    w.total_cost_usd,
    w.duration_ms,
    coalesce(
        jsonb_agg(to_jsonb(t.*) - 'tenant_id' order by t.created_at, t.id) filter (where t.id is not null),
        '[]'::jsonb
    ) as tasks
from work.workflows as w
left join work.tasks as t on w.tenant_id = t.tenant_id and w.id = t.workflow_id
where
    w.tenant_id = (select core.resolve_tenant(:tenant))
    and w.id = :workflow
group by w.tenant_id, w.id
