-- A worker still busy on a task keeps its claim.
-- depends: work.raise_not_claimed
create or replace function work.extend_lease(
    p_tenant_id uuid,
    p_task_id uuid,
    p_agent_id uuid,
    p_lease interval default '5 minutes',
    p_attempt integer default null
)
returns timestamptz
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_until timestamptz;
begin
    update work.tasks t
       set lease_expires_at = pg_catalog.clock_timestamp() + p_lease
     where t.tenant_id = p_tenant_id and t.id = p_task_id and t.status = 'running'
       and t.agent_id = p_agent_id and (p_attempt is null or t.attempts = p_attempt)
    returning t.lease_expires_at into v_until;
    if v_until is null then
        perform work.raise_not_claimed(p_task_id, p_agent_id, p_attempt);
    end if;
    return v_until;
end;
$function$;

comment on function work.extend_lease(uuid, uuid, uuid, interval, integer) is
'Pushes the lease of a task this agent is running to now + p_lease and returns the new expiry; refuses (55000) when the task is no longer this worker''s';
