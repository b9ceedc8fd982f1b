-- The BM25 keyword leg over chunks: any query term may match, rare terms weigh more.
create or replace function knowledge.search_chunks_bm25(
    p_tenant_id uuid,
    p_query text,
    p_k integer default 10,
    p_k1 double precision default 1.2,
    p_b double precision default 0.75,
    p_per_term integer default null,
    p_agent_id uuid default null,
    p_document_ids uuid[] default null,
    p_metadata jsonb default null,
    p_since timestamptz default null,
    p_until timestamptz default null
)
returns table (chunk_id uuid, document_id uuid, rank integer, score double precision)
language sql
stable
security invoker
set search_path = ''
begin atomic
    with config as (
        select t.text_search_config as cfg from core.tenants as t where t.id = p_tenant_id
    ),
    query_terms as (
        select distinct x.lexeme as term
          from config, unnest(pg_catalog.to_tsvector(config.cfg, coalesce(p_query, ''))) as x
    ),
    stats as (
        select s.doc_count::double precision as n, s.total_length::double precision / nullif(s.doc_count, 0) as avgdl
          from knowledge.bm25_stats as s where s.tenant_id = p_tenant_id
    ),
    weighted as (
        select t.term, pg_catalog.ln(1 + (stats.n - t.doc_freq + 0.5) / (t.doc_freq + 0.5)) as idf
          from knowledge.bm25_terms as t
          join query_terms as q on q.term = t.term
         cross join stats
         where t.tenant_id = p_tenant_id and t.doc_freq > 0
    ),
    candidates as (
        -- each term reads only its best postings (by the stored term score), so common
        -- words cost no more than rare ones
        select p.chunk_id,
               sum(w.idf * p.tf * (p_k1 + 1)
                   / (p.tf + p_k1 * (1 - p_b + p_b * p.doc_length / stats.avgdl))) as score
          from weighted as w
         cross join stats
         cross join lateral (
             select x.chunk_id, x.tf, x.doc_length
               from knowledge.bm25_postings as x
              where x.tenant_id = p_tenant_id and x.term = w.term
              order by x.tf_norm desc
              limit coalesce(p_per_term, greatest(p_k * 10, 100))
         ) as p
         group by p.chunk_id
    )
    select c.id, c.document_id, (row_number() over (order by cand.score desc, c.id))::integer, cand.score
      from candidates as cand
      join knowledge.chunks as c on c.tenant_id = p_tenant_id and c.id = cand.chunk_id
     where (p_agent_id is null or c.agent_id = p_agent_id)
       and (p_document_ids is null or c.document_id = any(p_document_ids))
       and (p_metadata is null or c.metadata @> p_metadata)
       and (p_since is null or c.created_at >= p_since)
       and (p_until is null or c.created_at < p_until)
     order by cand.score desc, c.id
     limit p_k;
end;

comment on function knowledge.search_chunks_bm25(uuid, text, integer, double precision, double precision, integer, uuid, uuid[], jsonb, timestamptz, timestamptz) is
'BM25 keyword leg over the tenant''s chunks: query terms parsed and stemmed with the tenant''s text search configuration, OR semantics, score = sum over matching terms of ln(1 + (N - n + 0.5) / (n + 0.5)) * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) with the tenant''s own N, n and avgdl; each term reads only its p_per_term best postings (default max(10k, 100)) by the stored term score, so the top results are exact in practice and very common terms stay cheap';
