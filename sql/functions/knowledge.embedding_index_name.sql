-- The name of a model's HNSW index on a table.
create or replace function knowledge.embedding_index_name(p_model_id integer, p_table regclass)
returns text
language sql
stable
security invoker
set search_path = ''
begin atomic
    select c.relname || '_embedding_m' || p_model_id || '_idx'
      from pg_catalog.pg_class as c where c.oid = p_table;
end;

comment on function knowledge.embedding_index_name(integer, regclass) is
'<table>_embedding_m<model id>_idx: the name of model p_model_id''s partial HNSW index on p_table';
