-- INSTEAD OF trigger of heartwood.agent_memories: writes go to memory.memories.
-- depends: heartwood.agent_uuid heartwood.character_uuid heartwood.model_for
create or replace function heartwood.tg_agent_memories()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from memory.memories as m where m.tenant_id = v_tenant and m.id = old.id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into memory.memories as m (
            tenant_id, id, agent_id, kind, content, importance, emotional_relevance, tags, related_agent_ids,
            related_character_ids, location, embedding, embedding_model_id, created_at, last_accessed_at
        ) values (
            v_tenant, coalesce(new.id, ops.uuidv7()), heartwood.agent_uuid(new.agent_id),
            coalesce(new.memory_type, 'observation'), new.content, coalesce(new.importance_score, 5),
            coalesce(new.emotional_relevance, 0), coalesce(new.tags, '{}'),
            coalesce(array(select heartwood.agent_uuid(x) from pg_catalog.unnest(new.related_agents) as x), '{}'),
            coalesce(array(select heartwood.character_uuid(x) from pg_catalog.unnest(new.related_players) as x), '{}'),
            new.location, new.embedding, heartwood.model_for(new.embedding),
            coalesce(new."timestamp", pg_catalog.now()), coalesce(new."timestamp", pg_catalog.now())
        )
        returning m.id, m.created_at, m.embedding_model_id into new.id, new."timestamp", new.embedding_id;
        return new;
    end if;
    update memory.memories as m
       set content = new.content, kind = new.memory_type, importance = new.importance_score,
           emotional_relevance = new.emotional_relevance, tags = coalesce(new.tags, '{}'), location = new.location,
           embedding = new.embedding, embedding_model_id = heartwood.model_for(new.embedding)
     where m.tenant_id = v_tenant and m.id = old.id;
    return new;
end;
$function$;

comment on function heartwood.tg_agent_memories() is
'INSTEAD OF insert, update and delete on heartwood.agent_memories: a memory is a memory.memories row of the agent; related agents and players are mapped from their Heartwood ids, the embedding filed under the registered model of its dimensions';
