-- INSTEAD OF trigger of tokyo_ia.workflows: writes go to work.workflows.
create or replace function tokyo_ia.tg_workflows()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from work.workflows as w where w.tenant_id = ops.require_tenant_id() and w.id = old.id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into work.workflows as w (
            tenant_id, id, name, description, status, workflow_type, initiator, started_at, completed_at,
            metadata
        ) values (
            ops.require_tenant_id(), coalesce(new.id, ops.uuidv7()), new.name, new.description,
            coalesce(new.status, 'pending'), new.workflow_type, new.initiator, new.started_at, new.completed_at,
            coalesce(new.metadata, '{}')
        )
        returning w.id, w.status, w.total_tasks, w.completed_tasks, w.failed_tasks, w.started_at, w.completed_at,
                  w.duration_ms, w.total_tokens, w.total_cost_usd, w.created_at, w.updated_at, w.metadata
             into new.id, new.status, new.total_tasks, new.completed_tasks, new.failed_tasks, new.started_at,
                  new.completed_at, new.duration_ms, new.total_tokens_used, new.total_cost_usd, new.created_at,
                  new.updated_at, new.metadata;
        return new;
    end if;
    update work.workflows as w
       set id = new.id, name = new.name, description = new.description, status = new.status,
           workflow_type = new.workflow_type, initiator = new.initiator, started_at = new.started_at,
           completed_at = new.completed_at, metadata = coalesce(new.metadata, '{}')
     where w.tenant_id = ops.require_tenant_id() and w.id = old.id
    returning w.status, w.started_at, w.completed_at, w.duration_ms, w.updated_at
         into new.status, new.started_at, new.completed_at, new.duration_ms, new.updated_at;
    return new;
end;
$function$;

comment on function tokyo_ia.tg_workflows() is
'INSTEAD OF insert, update and delete on tokyo_ia.workflows; the task counters, totals and duration_ms are kept by agentdb''s triggers from the tasks and status times, so writes to them are ignored';
