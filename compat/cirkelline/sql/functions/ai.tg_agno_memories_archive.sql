-- INSTEAD OF trigger of ai.agno_memories_archive: writes go to memory.archived_memories.
-- depends: ai.user_uuid
create or replace function ai.tg_agno_memories_archive()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_id uuid := coalesce(new.original_memory_id, new.id);
begin
    if tg_op = 'DELETE' then
        delete from memory.archived_memories as a where a.tenant_id = v_tenant and a.id = old.original_memory_id;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        raise exception 'ai.agno_memories_archive keeps memories as they were archived' using errcode = '0A000';
    end if;
    -- a copy of the whole memory (embedding, importance, evidence...) when it is in the stream
    insert into memory.archived_memories (
        tenant_id, id, agent_id, user_id, kind, content, topics, importance, emotional_relevance, tags,
        related_agent_ids, related_character_ids, location, evidence_ids, embedding, embedding_model_id,
        access_count, last_accessed_at, created_at, updated_at, input, metadata, archived_at, optimization_run_id,
        archive_reason
    )
    select m.tenant_id, m.id, m.agent_id, m.user_id, m.kind, m.content, m.topics, m.importance,
           m.emotional_relevance, m.tags, m.related_agent_ids, m.related_character_ids, m.location, m.evidence_ids,
           m.embedding, m.embedding_model_id, m.access_count, m.last_accessed_at, m.created_at, m.updated_at,
           m.input, m.metadata,
           coalesce(new.archived_at, pg_catalog.now()), new.optimization_run_id::uuid, 'ai.agno_memories_archive'
      from memory.memories as m
     where m.tenant_id = v_tenant and m.id = v_id;
    if not found then
        insert into memory.archived_memories (
            tenant_id, id, user_id, kind, content, topics, input, last_accessed_at, created_at, archived_at,
            optimization_run_id, archive_reason
        ) values (
            v_tenant, coalesce(v_id, ops.uuidv7()), ai.user_uuid(new.user_id), 'fact', new.memory,
            coalesce(array(select pg_catalog.jsonb_array_elements_text(new.topics)), '{}'), new.input,
            coalesce(new.accessed_at, new.created_at, pg_catalog.now()), coalesce(new.created_at, pg_catalog.now()),
            coalesce(new.archived_at, pg_catalog.now()), new.optimization_run_id::uuid, 'ai.agno_memories_archive'
        )
        returning id into v_id;
    end if;
    new.id := v_id;
    new.original_memory_id := v_id;
    new.archived_at := coalesce(new.archived_at, pg_catalog.now());
    return new;
end;
$function$;

comment on function ai.tg_agno_memories_archive() is
'INSTEAD OF insert and delete on ai.agno_memories_archive: an archived row is a whole copy of the memory.memories row (as cirkelline''s INSERT ... SELECT copies; it deletes from ai.agno_memories itself), or the values given when the memory is not in the stream; optimization_run_id is a uuid; archived rows are never updated';
