-- INSTEAD OF trigger of ai.agno_memories: writes go to memory.memories.
-- depends: ai.user_uuid
create or replace function ai.tg_agno_memories()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from memory.memories as m where m.tenant_id = ops.require_tenant_id() and m.id = old.memory_id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into memory.memories as m (
            tenant_id, id, user_id, kind, content, topics, input, created_at, last_accessed_at
        ) values (
            ops.require_tenant_id(), coalesce(new.memory_id, new.id, ops.uuidv7()), ai.user_uuid(new.user_id), 'fact',
            new.memory, coalesce(array(select pg_catalog.jsonb_array_elements_text(new.topics)), '{}'), new.input,
            coalesce(new.created_at, pg_catalog.now()), coalesce(new.accessed_at, new.created_at, pg_catalog.now())
        )
        returning m.id, m.id, m.created_at, m.updated_at, m.last_accessed_at
             into new.id, new.memory_id, new.created_at, new.updated_at, new.accessed_at;
        return new;
    end if;
    update memory.memories as m
       set user_id = ai.user_uuid(new.user_id), content = new.memory,
           topics = coalesce(array(select pg_catalog.jsonb_array_elements_text(new.topics)), '{}'),
           input = new.input,
           last_accessed_at = coalesce(new.accessed_at, m.last_accessed_at)
     where m.tenant_id = ops.require_tenant_id() and m.id = old.memory_id
    returning m.updated_at into new.updated_at;
    return new;
end;
$function$;

comment on function ai.tg_agno_memories() is
'INSTEAD OF insert, update and delete on ai.agno_memories: a memory is a memory.memories row of kind fact owned by the user, topics a JSON array of strings';
