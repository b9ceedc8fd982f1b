-- A worker reports a claimed task done.
-- depends: work.raise_not_claimed
create or replace function work.complete_task(
    p_tenant_id uuid,
    p_task_id uuid,
    p_agent_id uuid,
    p_output jsonb default null,
    p_tokens_used bigint default 0,
    p_cost_usd numeric default 0,
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
       set status = 'completed', output = p_output,
           tokens_used = t.tokens_used + coalesce(p_tokens_used, 0), cost_usd = t.cost_usd + coalesce(p_cost_usd, 0)
     where t.tenant_id = p_tenant_id and t.id = p_task_id and t.status = 'running'
       and t.agent_id = p_agent_id and (p_attempt is null or t.attempts = p_attempt)
    returning t.* into v_task;
    if not found then
        perform work.raise_not_claimed(p_task_id, p_agent_id, p_attempt);
    end if;
    return v_task;
end;
$function$;

comment on function work.complete_task(uuid, uuid, uuid, jsonb, bigint, numeric, integer) is
'Marks a task this agent is running completed with its output, adding tokens and cost; with p_attempt (from claim_tasks) it refuses if the task was reclaimed since (SQLSTATE 55000)';
