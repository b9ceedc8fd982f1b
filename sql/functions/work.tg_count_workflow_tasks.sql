-- Trigger function: keep a workflow's task counters and totals equal to its tasks.
create or replace function work.tg_count_workflow_tasks()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_changes text := case tg_op
        when 'INSERT' then 'select tenant_id, workflow_id, 1 as sign, status, tokens_used, cost_usd from new_rows'
        when 'DELETE' then 'select tenant_id, workflow_id, -1 as sign, status, tokens_used, cost_usd from old_rows'
        else 'select tenant_id, workflow_id, 1 as sign, status, tokens_used, cost_usd from new_rows '
             'union all select tenant_id, workflow_id, -1, status, tokens_used, cost_usd from old_rows'
    end;
    v_any boolean := false;
    v record;
begin
    -- Most statements (queue claims of tasks outside any workflow) touch no workflow:
    -- leave at once. Each branch is planned only when its event runs.
    if tg_op in ('INSERT', 'UPDATE') then
        v_any := exists (select 1 from new_rows where workflow_id is not null);
    end if;
    if not v_any and tg_op in ('UPDATE', 'DELETE') then
        v_any := exists (select 1 from old_rows where workflow_id is not null);
    end if;
    if not v_any then
        return null;
    end if;
    -- Deltas, not recounts: concurrent transactions each add their own change under the
    -- workflow row's lock, so the totals stay exact without serialising on a recount.
    -- The transition tables are named per event, hence the dynamic SQL. The deltas are read
    -- first and each workflow is updated with its tenant as a constant (in key order): on
    -- Citus the trigger runs on a shard, where a statement joining a transition table to a
    -- distributed table cannot be planned, and a constant tenant keeps it on this node.
    for v in execute pg_catalog.format($sql$
        select tenant_id, workflow_id,
               sum(sign) as total,
               coalesce(sum(sign) filter (where status = 'completed'), 0) as completed,
               coalesce(sum(sign) filter (where status = 'failed'), 0) as failed,
               sum(sign * tokens_used) as tokens,
               sum(sign * cost_usd) as cost
          from (%s) as changes
         where workflow_id is not null
         group by tenant_id, workflow_id
         order by tenant_id, workflow_id
    $sql$, v_changes)
    loop
        continue when (v.total, v.completed, v.failed, v.tokens, v.cost) = (0, 0, 0, 0, 0);
        update work.workflows w
           set total_tasks = w.total_tasks + v.total,
               completed_tasks = w.completed_tasks + v.completed,
               failed_tasks = w.failed_tasks + v.failed,
               total_tokens = w.total_tokens + v.tokens,
               total_cost_usd = w.total_cost_usd + v.cost
         where w.tenant_id = v.tenant_id and w.id = v.workflow_id;
    end loop;
    return null;
end;
$function$;

comment on function work.tg_count_workflow_tasks() is
'AFTER INSERT, UPDATE and DELETE ... FOR EACH STATEMENT on work.tasks (_600_count_workflow_tasks_*): adds each statement''s change to its workflows'' total, completed and failed task counts and token and cost totals; one update per workflow per statement';
