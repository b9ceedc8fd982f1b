-- The create index statement for a model's HNSW index over one tenant's chunks.
-- depends: knowledge.embedding_cast knowledge.tenant_embedding_index_name
create or replace function knowledge.tenant_embedding_index_ddl(
    p_model_id integer,
    p_tenant_id uuid,
    p_concurrently boolean default false
)
returns text
language sql
stable
security invoker
set search_path = ''
begin atomic
    select pg_catalog.format(
        'create index %s if not exists %I on knowledge.chunks using hnsw ((embedding::%s) public.%s) '
        'with (m = %s, ef_construction = %s) where embedding_model_id = %s and tenant_id = %L::uuid',
        case when p_concurrently then 'concurrently' else '' end,
        knowledge.tenant_embedding_index_name(p_model_id, p_tenant_id),
        knowledge.embedding_cast(p_model_id),
        m.index_storage || case m.distance when 'cosine' then '_cosine_ops' when 'l2' then '_l2_ops' else '_ip_ops' end,
        m.hnsw_m, m.hnsw_ef_construction, m.id, p_tenant_id
    )
      from knowledge.embedding_models as m where m.id = p_model_id;
end;

comment on function knowledge.tenant_embedding_index_ddl(integer, uuid, boolean) is
'The CREATE INDEX statement of model p_model_id''s HNSW index over tenant p_tenant_id''s chunks only (partial: WHERE embedding_model_id = id AND tenant_id = the tenant; same cast, operator class, m and ef_construction as the model''s index). For a large tenant: its searches walk a graph of its own rows, unfiltered, instead of filtering the walk of the shared graph (docs/benchmarks.md: recall@10 1.00 at ef_search 40 against about 0.97 at 400 to 1,000 for a 10 % tenant of 400k chunks). Built by agentdb model index MODEL --for-tenant TENANT; knowledge.search_chunks_vector uses it when it is valid';
