-- The keyword leg over chunks: PostgreSQL full text, ranked by ts_rank_cd.
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
    select s.id, s.document_id, (row_number() over (order by s.score desc, s.id))::integer, s.score
      from (
          select c.id, c.document_id, pg_catalog.ts_rank_cd(c.search_text, q.query)::double precision as score
            from knowledge.chunks as c,
                 pg_catalog.websearch_to_tsquery('english'::regconfig, p_query) as q (query)
           where c.tenant_id = p_tenant_id
             and c.search_text @@ q.query
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
'Keyword leg: the tenant''s chunks matching websearch_to_tsquery(p_query) (english), best ts_rank_cd first, with the same filters as the vector leg';
