-- The name of a model's HNSW index over one tenant's chunks.
create or replace function knowledge.tenant_embedding_index_name(p_model_id integer, p_tenant_id uuid)
returns text
language sql
immutable
security invoker
set search_path = ''
begin atomic
    select 'chunks_embedding_m' || p_model_id || '_t' || pg_catalog.replace(p_tenant_id::text, '-', '') || '_idx';
end;

comment on function knowledge.tenant_embedding_index_name(integer, uuid) is
'chunks_embedding_m<model id>_t<tenant id, 32 hex digits>_idx: the name of the partial HNSW index of model p_model_id over tenant p_tenant_id''s chunks (knowledge.tenant_embedding_index_ddl)';
