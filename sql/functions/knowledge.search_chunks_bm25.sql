-- The BM25 keyword leg over chunks: exact BM25 (any query term may match, rare terms weigh
-- more), filtered.
-- depends: ops.bm25_rows
create or replace function knowledge.search_chunks_bm25(
    p_tenant_id uuid,
    p_query text,
    p_k integer default 10,
    p_k1 double precision default 1.2,
    p_b double precision default 0.75,
    p_agent_id uuid default null,
    p_document_ids uuid[] default null,
    p_metadata jsonb default null,
    p_since timestamptz default null,
    p_until timestamptz default null
)
returns table (chunk_id uuid, document_id uuid, rank integer, score double precision)
language plpgsql
stable
rows 10
security invoker
set search_path = ''
as $function$
declare
    v_wanted integer := p_k;
    v_returned integer;
    v_ids uuid[];
    v_documents uuid[];
    v_scores double precision[];
begin
    -- the filtered top k is the filtered prefix of the exact unfiltered ranking: ask for k,
    -- and for 4 times more while fewer than k pass the filters and more rows match
    loop
        with ranked as (
            select b.id, b.rank, b.score
              from ops.bm25_rows('chunks', p_tenant_id, p_query, v_wanted, null, p_k1, p_b) as b
        ),
        passed as (
            select r.id, c.document_id, r.score, r.rank
              from ranked as r
             -- lateral: one index probe per ranked row, never a hash join over the tenant's chunks
             cross join lateral (
                 select x.document_id, x.agent_id, x.metadata, x.created_at from knowledge.chunks as x
                  where x.tenant_id = p_tenant_id and x.id = r.id
             ) as c
             where (p_agent_id is null or c.agent_id = p_agent_id)
               and (p_document_ids is null or c.document_id = any(p_document_ids))
               and (p_metadata is null or c.metadata @> p_metadata)
               and (p_since is null or c.created_at >= p_since)
               and (p_until is null or c.created_at < p_until)
             order by r.rank
             limit p_k
        )
        select (select count(*) from ranked), array(select passed.id from passed order by passed.rank),
               array(select passed.document_id from passed order by passed.rank),
               array(select passed.score from passed order by passed.rank)
          into v_returned, v_ids, v_documents, v_scores;
        exit when pg_catalog.cardinality(v_ids) >= p_k or v_returned < v_wanted;
        v_wanted := v_wanted * 4;
    end loop;
    return query
    select u.id, u.document_id, u.ord::integer, u.score
      from unnest(v_ids, v_documents, v_scores) with ordinality as u (id, document_id, score, ord);
end;
$function$;

comment on function knowledge.search_chunks_bm25(uuid, text, integer, double precision, double precision, uuid, uuid[], jsonb, timestamptz, timestamptz) is
'BM25 keyword leg over the tenant''s chunks: the exact BM25 top p_k (ops.bm25_rows: query terms parsed and stemmed with the tenant''s text search configuration, OR semantics, the tenant''s own N, n and avgdl; same ranking as textbook BM25, ties by chunk id) filtered by agent, documents, metadata containment and time (the filtered prefix of the exact ranking, asking for 4 times more until p_k pass or no more match)';
