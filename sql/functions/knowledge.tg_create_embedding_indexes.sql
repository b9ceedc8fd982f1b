-- Trigger function: registering a model creates its indexes.
create or replace function knowledge.tg_create_embedding_indexes()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if pg_catalog.current_setting('agentdb.defer_embedding_indexes', true) is distinct from 'on' then
        perform knowledge.create_embedding_indexes(new.id);
    end if;
    return null;
end;
$function$;

comment on function knowledge.tg_create_embedding_indexes() is
'AFTER INSERT on knowledge.embedding_models (_200_create_embedding_indexes): creates the new model''s HNSW index on every embedding table, unless the transaction set agentdb.defer_embedding_indexes = on (agentdb then builds them concurrently)';
