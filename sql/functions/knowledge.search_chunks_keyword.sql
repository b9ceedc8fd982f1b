-- The ts_rank keyword leg over chunks: PostgreSQL full text, ranked by ts_rank_cd, its
-- candidates found through the BM25 postings (the chunks' keyword index).
create or replace function knowledge.search_chunks_keyword(
    p_tenant_id uuid,
    p_query text,
    p_k integer default 10,
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
    with query as (
        select q.tsquery,
               -- the query's own lexemes, read from its text form ('lexeme', quotes doubled)
               array(select distinct pg_catalog.replace(m.m[1], '''''', '''')
                       from pg_catalog.regexp_matches(q.tsquery::text, '''((?:[^'']|'''')+)''', 'g') as m (m))
                   as terms,
               -- the same query with phrases loosened to "and", for text vectors without positions
               pg_catalog.regexp_replace(q.tsquery::text, '<(\d+|-)>', '&', 'g')::tsquery as loose
          from core.tenants as t
         cross join pg_catalog.websearch_to_tsquery(t.text_search_config, coalesce(p_query, '')) as q (tsquery)
         where t.id = p_tenant_id
    ),
    candidates as (
        -- from the postings: the chunks whose query words alone satisfy the query's and, or
        -- and not (phrases loosened); only these have their text parsed and ranked
        select p.chunk_id
          from query as q
         cross join unnest(q.terms) as u (term)
          join knowledge.bm25_postings as p on p.tenant_id = p_tenant_id and p.term = u.term
         group by p.chunk_id
        having pg_catalog.array_to_tsvector(pg_catalog.array_agg(p.term)) @@ (select query.loose from query)
    )
    select s.id, s.document_id, (row_number() over (order by s.score desc, s.id))::integer, s.score
      from (
          select c.id, c.document_id, pg_catalog.ts_rank_cd(c.search_text, q.tsquery)::double precision as score
            from query as q
           cross join candidates as cand
           -- one primary-key probe per candidate (limit keeps the planner from scanning the tenant)
           cross join lateral (
               select x.id, x.document_id, x.search_text, x.agent_id, x.metadata, x.created_at
                 from knowledge.chunks as x
                where x.tenant_id = p_tenant_id and x.id = cand.chunk_id
                limit 1
           ) as c
           where c.search_text @@ q.tsquery
             and (p_agent_id is null or c.agent_id = p_agent_id)
             and (p_document_ids is null or c.document_id = any(p_document_ids))
             and (p_metadata is null or c.metadata @> p_metadata)
             and (p_since is null or c.created_at >= p_since)
             and (p_until is null or c.created_at < p_until)
           order by score desc, c.id
           limit p_k
      ) as s
     order by s.score desc, s.id;
end;

comment on function knowledge.search_chunks_keyword(uuid, text, integer, uuid, uuid[], jsonb, timestamptz, timestamptz) is
'ts_rank keyword leg: the tenant''s chunks matching websearch_to_tsquery(p_query) in the tenant''s text search configuration (every word must match), best ts_rank_cd first, with the same filters as the vector leg. Candidates come from the BM25 postings (the chunks whose query words alone satisfy the query, phrases loosened to and), so chunks still waiting in knowledge.bm25_pending are not found (as in the BM25 leg) and a chunk holding none of the query''s words is never found (a query of negations alone matches nothing)';
