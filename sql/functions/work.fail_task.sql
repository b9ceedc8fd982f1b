-- A worker reports a claimed task failed; it is retried while retries remain.
-- depends: work.raise_not_claimed
create or replace function work.fail_task(
    p_tenant_id uuid,
    p_task_id uuid,
    p_agent_id uuid,
    p_error text,
    p_retry boolean default true,
    p_attempt integer default null
)
returns work.tasks
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_task work.tasks;
begin
    update work.tasks t
       set status = 'failed', error_message = p_error
     where t.tenant_id = p_tenant_id and t.id = p_task_id and t.status = 'running'
       and t.agent_id = p_agent_id and (p_attempt is null or t.attempts = p_attempt)
    returning t.* into v_task;
    if not found then
        perform work.raise_not_claimed(p_task_id, p_agent_id, p_attempt);
    end if;
    if p_retry and v_task.retry_count < v_task.max_retries then
        update work.tasks t set status = 'pending', agent_id = case when t.assigned_agent_id is null then null
                                                                  else t.agent_id end
         where t.tenant_id = p_tenant_id and t.id = p_task_id
        returning t.* into v_task;
    end if;
    return v_task;
end;
$function$;

comment on function work.fail_task(uuid, uuid, uuid, text, boolean, integer) is
'Marks a task this agent is running failed with the error; when p_retry and retries remain (retry_count < max_retries) it goes back to pending at once, counting a retry, for any allowed agent to claim. Refuses (55000) a task that is not this agent''s running one';
