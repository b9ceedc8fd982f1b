-- The tables that hold searchable embeddings: found in the catalog, not listed by hand.
create or replace function knowledge.embedding_tables()
returns setof regclass
language sql
stable
security invoker
set search_path = ''
begin atomic
    select distinct k.conrelid::regclass
      from pg_catalog.pg_constraint as k
      join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
      join pg_catalog.pg_attribute as e on e.attrelid = k.conrelid and e.attname = 'embedding' and not e.attisdropped
     where k.contype = 'f'
       and k.confrelid = 'knowledge.embedding_models'::regclass
       and a.attname = 'embedding_model_id'
       and e.atttypid = 'public.vector'::regtype
       and k.conparentid = 0
     order by 1;
end;

comment on function knowledge.embedding_tables() is
'Every table whose embedding_model_id references knowledge.embedding_models and that has an embedding vector column: each registered model gets its partial HNSW index on each of them (archives, which keep embeddings without the reference, get none)';
