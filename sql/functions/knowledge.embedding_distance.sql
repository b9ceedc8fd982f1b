-- SQL text of the distance between a row's embedding and a query vector for a model.
-- depends: knowledge.embedding_cast
create or replace function knowledge.embedding_distance(p_model_id integer, p_column text, p_query text)
returns text
language sql
stable
security invoker
set search_path = ''
begin atomic
    select pg_catalog.format(
        '((%s)::%s operator(public.%s) (%s)::%s)',
        p_column, knowledge.embedding_cast(p_model_id),
        case m.distance when 'cosine' then '<=>' when 'l2' then '<->' else '<#>' end,
        p_query, knowledge.embedding_cast(p_model_id)
    )
      from knowledge.embedding_models as m where m.id = p_model_id;
end;

comment on function knowledge.embedding_distance(integer, text, text) is
'SQL text (for dynamic queries) of the distance operator of model p_model_id between column expression p_column and query expression p_query, both cast like its index, so the partial HNSW index serves the ORDER BY';
