-- The vector leg over chunks: nearest chunks of one model, filtered, via its HNSW index.
-- depends: ops.nearest_rows
create or replace function knowledge.search_chunks_vector(
    p_tenant_id uuid,
    p_model_id integer,
    p_query public.vector,
    p_k integer default 10,
    p_agent_id uuid default null,
    p_document_ids uuid[] default null,
    p_metadata jsonb default null,
    p_since timestamptz default null,
    p_until timestamptz default null,
    p_ef_search integer default null
)
returns table (chunk_id uuid, document_id uuid, rank integer, distance double precision, similarity double precision)
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select n.id, c.document_id, n.rank, n.distance, n.similarity
      from ops.nearest_rows(
          'knowledge.chunks'::regclass, p_model_id, p_query, p_k, p_tenant_id,
          $filter$
              ($3->>'agent_id' is null or t.agent_id = ($3->>'agent_id')::uuid)
              and ($3->'document_ids' is null or t.document_id::text in (select jsonb_array_elements_text($3->'document_ids')))
              and ($3->'metadata' is null or t.metadata @> ($3->'metadata'))
              and ($3->>'since' is null or t.created_at >= ($3->>'since')::timestamptz)
              and ($3->>'until' is null or t.created_at < ($3->>'until')::timestamptz)
          $filter$,
          pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
              'agent_id', p_agent_id, 'document_ids', pg_catalog.to_jsonb(p_document_ids), 'metadata', p_metadata,
              'since', p_since, 'until', p_until)),
          p_ef_search
      ) as n
      join knowledge.chunks as c on c.tenant_id = p_tenant_id and c.id = n.id
     order by n.rank;
end;

comment on function knowledge.search_chunks_vector(uuid, integer, public.vector, integer, uuid, uuid[], jsonb, timestamptz, timestamptz, integer) is
'Vector leg over chunks: the p_k chunks of the tenant nearest to p_query under model p_model_id (ops.nearest_rows: the model''s HNSW index with iterative scans), filtered by agent, documents, metadata containment and time, full p_k even under selective filters';
