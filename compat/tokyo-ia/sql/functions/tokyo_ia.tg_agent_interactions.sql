-- INSTEAD OF trigger of tokyo_ia.agent_interactions: writes go to work.interactions.
-- depends: tokyo_ia.agent_uuid
create or replace function tokyo_ia.tg_agent_interactions()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from work.interactions as i where i.tenant_id = ops.require_tenant_id() and i.id = old.id;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        update work.interactions as i
           set workflow_id = new.workflow_id, from_agent_id = tokyo_ia.agent_uuid(new.from_agent_id),
               to_agent_id = tokyo_ia.agent_uuid(new.to_agent_id), interaction_type = new.interaction_type,
               message = new.message, payload = new.payload
         where i.tenant_id = ops.require_tenant_id() and i.id = old.id;
        return new;
    end if;
    insert into work.interactions as i (
        tenant_id, id, workflow_id, from_agent_id, to_agent_id, interaction_type, message, payload, created_at
    ) values (
        ops.require_tenant_id(), coalesce(new.id, ops.uuidv7()), new.workflow_id, tokyo_ia.agent_uuid(new.from_agent_id),
        tokyo_ia.agent_uuid(new.to_agent_id), new.interaction_type, new.message, new.payload,
        coalesce(new.created_at, pg_catalog.now())
    )
    returning i.id, i.created_at into new.id, new.created_at;
    return new;
end;
$function$;

comment on function tokyo_ia.tg_agent_interactions() is
'INSTEAD OF insert, update and delete on tokyo_ia.agent_interactions: from_agent_id and to_agent_id mapped from the slugs';
