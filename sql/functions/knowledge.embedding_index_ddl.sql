-- The create index statement for a model's partial HNSW index on a table.
-- depends: knowledge.embedding_cast knowledge.embedding_index_name
create or replace function knowledge.embedding_index_ddl(
    p_model_id integer,
    p_table regclass,
    p_concurrently boolean default false
)
returns text
language sql
stable
security invoker
set search_path = ''
begin atomic
    select pg_catalog.format(
        'create index %s if not exists %I on %s using hnsw ((embedding::%s) public.%s) '
        'with (m = %s, ef_construction = %s) where embedding_model_id = %s',
        case when p_concurrently then 'concurrently' else '' end,
        knowledge.embedding_index_name(p_model_id, p_table),
        p_table,
        knowledge.embedding_cast(p_model_id),
        m.index_storage || case m.distance when 'cosine' then '_cosine_ops' when 'l2' then '_l2_ops' else '_ip_ops' end,
        m.hnsw_m, m.hnsw_ef_construction, m.id
    )
      from knowledge.embedding_models as m where m.id = p_model_id;
end;

comment on function knowledge.embedding_index_ddl(integer, regclass, boolean) is
'The CREATE INDEX statement of model p_model_id''s partial expression HNSW index on p_table (embedding cast to vector(n) or halfvec(n), the model''s operator class and m / ef_construction, WHERE embedding_model_id = id); agentdb runs it CONCURRENTLY on tables with rows';
