-- INSTEAD OF trigger of tokyo_ia.agent_tasks: writes go to work.tasks.
-- depends: tokyo_ia.agent_uuid
create or replace function tokyo_ia.tg_agent_tasks()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from work.tasks as t where t.tenant_id = ops.require_tenant_id() and t.id = old.id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into work.tasks as t (
            tenant_id, id, agent_id, workflow_id, task_type, description, status, input, output, error_message,
            started_at, completed_at, tokens_used, cost_usd, retry_count, parent_task_id, created_at, metadata
        ) values (
            ops.require_tenant_id(), coalesce(new.id, ops.uuidv7()), tokyo_ia.agent_uuid(new.agent_id),
            new.workflow_id, new.task_type, new.description, coalesce(new.status, 'pending'), new.input_data,
            new.output_data, new.error_message, new.started_at, new.completed_at, coalesce(new.tokens_used, 0),
            coalesce(new.cost_usd, 0), coalesce(new.retry_count, 0), new.parent_task_id,
            coalesce(new.created_at, pg_catalog.now()), coalesce(new.metadata, '{}')
        )
        returning t.id, t.status, t.started_at, t.completed_at, t.duration_ms, t.tokens_used, t.cost_usd,
                  t.retry_count, t.created_at, t.metadata
             into new.id, new.status, new.started_at, new.completed_at, new.duration_ms, new.tokens_used,
                  new.cost_usd, new.retry_count, new.created_at, new.metadata;
        return new;
    end if;
    update work.tasks as t
       set id = new.id, agent_id = tokyo_ia.agent_uuid(new.agent_id), workflow_id = new.workflow_id,
           task_type = new.task_type, description = new.description, status = new.status,
           input = new.input_data, output = new.output_data, error_message = new.error_message,
           started_at = new.started_at, completed_at = new.completed_at, tokens_used = new.tokens_used,
           cost_usd = new.cost_usd, retry_count = new.retry_count, parent_task_id = new.parent_task_id,
           metadata = coalesce(new.metadata, '{}')
     where t.tenant_id = ops.require_tenant_id() and t.id = old.id
    returning t.status, t.started_at, t.completed_at, t.duration_ms, t.retry_count
         into new.status, new.started_at, new.completed_at, new.duration_ms, new.retry_count;
    return new;
end;
$function$;

comment on function tokyo_ia.tg_agent_tasks() is
'INSTEAD OF insert, update and delete on tokyo_ia.agent_tasks: agent_id is mapped from the Tokyo-IA id (slug) to the agent; duration_ms and the status times are kept by agentdb''s trigger, the workflow''s counters by its statement triggers';
