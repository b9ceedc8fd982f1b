-- The vector leg over chunks: nearest chunks of one model, filtered, via its HNSW index.
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
language plpgsql
volatile
security invoker
set search_path = ''
set hnsw.iterative_scan = 'relaxed_order'
as $function$
declare
    v_model record;
    v_rows real;
begin
    select m.dimensions, m.distance, m.index_storage into v_model
      from knowledge.embedding_models as m where m.id = p_model_id;
    if not found then
        raise exception 'no embedding model with id %', p_model_id
            using errcode = 'P0002', hint = 'see knowledge.embedding_models';
    end if;
    if public.vector_dims(p_query) <> v_model.dimensions then
        raise exception 'the query vector has % dimensions; model % has %',
            public.vector_dims(p_query), p_model_id, v_model.dimensions using errcode = '22023';
    end if;
    if p_k is null or p_k < 1 then
        raise exception 'k must be 1 or more' using errcode = '22023';
    end if;
    -- ef_search grows as the tenant's share of the chunks shrinks: a filtered walk keeps
    -- about ef_search x share candidates of the tenant, and recall needs ~24 of them
    -- (docs/benchmarks.md: recall@10 against exact search at 10 % of 100k and 400k chunks)
    if p_ef_search is null then
        -- two statements: the tenant's count is a single-shard read on Citus, which cannot
        -- join a distributed table with the local catalog
        select c.reltuples into v_rows from pg_catalog.pg_class as c
         where c.oid = 'knowledge.chunks'::regclass and c.reltuples > 0;
        select least(400, greatest(64, pg_catalog.ceil(24 / (s.doc_count / v_rows))))::integer
          into p_ef_search
          from knowledge.bm25_stats as s
         where s.tenant_id = p_tenant_id and s.doc_count > 0 and v_rows is not null;
    end if;
    perform pg_catalog.set_config('hnsw.ef_search', least(1000, greatest(p_k, coalesce(p_ef_search, 64)))::text, true);
    -- typed parameters and plain predicates (no jsonb, no subquery: the former filter's
    -- "in (select jsonb_array_elements_text(...))" could turn the scan into a join that no
    -- longer walks the index in order), the document id read in the same scan (no second
    -- join); relaxed_order iterative scans read on until p_k rows pass the filters, and the
    -- materialized CTE is sorted exactly (pgvector's recipe)
    return query execute pg_catalog.format($sql$
        with nearest as materialized (
            select t.id, t.document_id, %1$s as distance
              from knowledge.chunks as t
             where t.embedding_model_id = %2$s
               and t.tenant_id = $2
               and ($3::uuid is null or t.agent_id = $3)
               and ($4::uuid[] is null or t.document_id = any($4))
               and ($5::jsonb is null or t.metadata @> $5)
               and ($6::timestamptz is null or t.created_at >= $6)
               and ($7::timestamptz is null or t.created_at < $7)
             order by distance
             limit $8
        )
        select n.id, n.document_id, (row_number() over (order by n.distance, n.id))::integer, n.distance, %3$s
          from nearest as n
         order by n.distance, n.id
    $sql$,
        -- the expression of the model's index (knowledge.embedding_distance, inlined here)
        pg_catalog.format('((t.embedding)::public.%1$s(%2$s) operator(public.%3$s) ($1)::public.%1$s(%2$s))',
                          v_model.index_storage, v_model.dimensions,
                          case v_model.distance when 'cosine' then '<=>' when 'l2' then '<->' else '<#>' end),
        p_model_id,
        case v_model.distance when 'cosine' then '1 - n.distance' when 'l2' then '1 / (1 + n.distance)'
             else '- n.distance' end
    ) using p_query, p_tenant_id, p_agent_id, p_document_ids, p_metadata, p_since, p_until, p_k;
end;
$function$;

comment on function knowledge.search_chunks_vector(uuid, integer, public.vector, integer, uuid, uuid[], jsonb, timestamptz, timestamptz, integer) is
'Vector leg over chunks: the p_k chunks of the tenant nearest to p_query under model p_model_id, through the model''s partial HNSW index with relaxed_order iterative scans (so selective filters still return the full p_k), re-sorted exactly; filtered by agent, documents, metadata containment and time as typed parameters of one statement. hnsw.ef_search is p_ef_search, by default 24 / (the tenant''s share of all chunks) within 64..400 (64 for a tenant holding 37 % or more), at least p_k';
