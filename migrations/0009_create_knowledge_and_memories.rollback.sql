-- Undo 0009_create_knowledge_and_memories.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
do $block$
declare
    v_index regclass;
begin
    -- per-model HNSW indexes on messages do not depend on the model rows: drop them by name
    for v_index in
        select c.oid::regclass from pg_catalog.pg_class c
         where c.relnamespace = 'chat'::regnamespace and c.relkind in ('i', 'I')
           and c.relname ~ '^messages_embedding_m[0-9]+_idx$' and not c.relispartition
    loop
        execute pg_catalog.format('drop index %s', v_index);
    end loop;
end
$block$;
alter table chat.messages drop constraint messages_embedding_model_id_fkey;
drop index chat.messages_embedding_model_id_idx;
alter table memory.documents drop column embedding_model_id cascade;
alter table memory.documents drop column embedding cascade;
drop table memory.archived_memories cascade;
drop table memory.memories cascade;
drop table knowledge.chunks cascade;
drop table knowledge.documents cascade;
drop table knowledge.embedding_models cascade;
