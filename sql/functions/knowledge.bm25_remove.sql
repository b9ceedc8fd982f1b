-- Remove chunks from their tenants' BM25 statistics and postings.
-- depends: knowledge.bm25_length
create or replace function knowledge.bm25_remove(p_tenant_ids uuid[], p_chunk_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    -- the time as a value: Citus refuses volatile functions in a distributed UPDATE
    v_now timestamptz := pg_catalog.clock_timestamp();
begin
    with docs as (
        select u.tenant_id, u.chunk_id, u.text, knowledge.bm25_length(u.text) as doc_length
          from unnest(p_tenant_ids, p_chunk_ids, p_texts) as u (tenant_id, chunk_id, text)
    ),
    removed as (
        delete from knowledge.bm25_postings as p
         using docs as d
         where p.tenant_id = d.tenant_id and p.chunk_id = d.chunk_id
        returning p.tenant_id, p.term
    ),
    terms as (
        update knowledge.bm25_terms as t
           set doc_freq = t.doc_freq - r.n
          from (select removed.tenant_id, removed.term, count(*) as n
                  from removed group by removed.tenant_id, removed.term
                 order by removed.tenant_id, removed.term) as r
         where t.tenant_id = r.tenant_id and t.term = r.term
        returning t.tenant_id
    )
    update knowledge.bm25_stats as s
       set doc_count = s.doc_count - d.n, total_length = s.total_length - d.length,
           updated_at = v_now
      from (select docs.tenant_id, count(*) as n, sum(docs.doc_length) as length
              from docs group by docs.tenant_id) as d
     where s.tenant_id = d.tenant_id;
end;
$function$;

comment on function knowledge.bm25_remove(uuid[], uuid[], tsvector[]) is
'BM25 upkeep for deleted (or re-worded) chunks (trigger _400_bm25): their postings go, document frequencies and the tenant''s document count and total length shrink; terms whose frequency reaches 0 are vacuumed by agentdb maintain';
