-- description: No running task is stuck: a claimed task has a lease, and one whose lease expired over an hour ago has an agent allowed to reclaim it that is active.
-- severity: warning
-- fix: set the task back to pending, or reactivate or reassign its agent
select
    t.id as task,
    t.claimed_at,
    t.lease_expires_at,
    coalesce(a.status, 'no agent') as assigned_agent_status
from work.tasks as t
left join agents.agents as a on t.tenant_id = a.tenant_id and t.assigned_agent_id = a.id
where
    t.status = 'running'
    and t.claimed_at is not null
    and (
        t.lease_expires_at is null
        or (t.lease_expires_at < now() - interval '1 hour' and t.assigned_agent_id is not null
            and coalesce(a.status, 'missing') <> 'active')
    )
order by 1
