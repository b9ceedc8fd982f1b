-- The work queue: an agent's worker claims the next tasks it may run.
create or replace function work.claim_tasks(
    p_tenant_id uuid,
    p_agent_id uuid,
    p_limit integer default 1,
    p_task_types text[] default null,
    p_lease interval default '5 minutes',
    p_worker text default null
)
returns setof work.tasks
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_now timestamptz := pg_catalog.clock_timestamp();
    v_claimed integer;
begin
    if p_limit is null or p_limit < 1 then
        raise exception 'p_limit must be 1 or more' using errcode = '22023';
    end if;
    if p_lease is null or p_lease <= interval '0' then
        raise exception 'p_lease must be a positive interval' using errcode = '22023';
    end if;

    -- First, tasks whose worker died: still running, lease expired.
    return query
    with expired as (
        select t.tenant_id, t.id
          from work.tasks as t
         where t.tenant_id = p_tenant_id
           and t.status = 'running'
           and t.lease_expires_at < v_now
           and (t.assigned_agent_id is null or t.assigned_agent_id = p_agent_id)
           and (p_task_types is null or t.task_type = any(p_task_types))
         order by t.lease_expires_at
         limit p_limit
         for update skip locked
    )
    update work.tasks t
       set agent_id = p_agent_id, attempts = t.attempts + 1, claimed_by = p_worker,
           claimed_at = v_now, lease_expires_at = v_now + p_lease
      from expired e
     where t.tenant_id = p_tenant_id and t.tenant_id = e.tenant_id and t.id = e.id  -- p_tenant_id: one shard on Citus
    returning t.*;
    get diagnostics v_claimed = row_count;
    if v_claimed >= p_limit then
        return;
    end if;

    -- Then pending tasks, highest priority first, oldest first within a priority.
    return query
    with next_tasks as (
        select t.tenant_id, t.id
          from work.tasks as t
         where t.tenant_id = p_tenant_id
           and t.status = 'pending'
           and (t.assigned_agent_id is null or t.assigned_agent_id = p_agent_id)
           and (t.agent_id is null or t.agent_id = p_agent_id)
           and (p_task_types is null or t.task_type = any(p_task_types))
         order by t.priority desc, t.created_at, t.id
         limit p_limit - v_claimed
         for update skip locked
    ),
    claimed as (
        update work.tasks t
           set status = 'running', agent_id = p_agent_id, attempts = t.attempts + 1, claimed_by = p_worker,
               claimed_at = v_now, lease_expires_at = v_now + p_lease
          from next_tasks n
         where t.tenant_id = p_tenant_id and t.tenant_id = n.tenant_id and t.id = n.id
        returning t.*
    )
    select c.* from claimed as c order by c.priority desc, c.created_at, c.id;
end;
$function$;

comment on function work.claim_tasks(uuid, uuid, integer, text[], interval, text) is
'Claims up to p_limit tasks for agent p_agent_id and marks them running in the same statement (FOR UPDATE SKIP LOCKED: concurrent workers never get the same task). Reclaims running tasks whose lease expired first (their worker died), then pending ones by priority then age; only tasks assigned to this agent or to none, and not already given to another agent. Returns the claimed rows; attempts is the fencing token for work.complete_task / fail_task / extend_lease';
