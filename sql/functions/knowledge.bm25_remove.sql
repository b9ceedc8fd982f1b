-- Remove chunks from their tenants' BM25 statistics and postings.
-- depends: ops.local_relation knowledge.bm25_length
create or replace function knowledge.bm25_remove(p_tenant_ids uuid[], p_chunk_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_postings regclass := ops.local_relation('knowledge.bm25_postings', p_tenant_ids[1]);
    v_terms regclass := ops.local_relation('knowledge.bm25_terms', p_tenant_ids[1]);
    v_stats regclass := ops.local_relation('knowledge.bm25_stats', p_tenant_ids[1]);
    -- the time as a value: Citus refuses volatile functions in a distributed UPDATE
    v_now timestamptz := pg_catalog.clock_timestamp();
begin
    if coalesce(pg_catalog.cardinality(p_tenant_ids), 0) = 0 then
        return;  -- nothing to count (a statement that changed no indexed text)
    end if;
    -- the tables as this node holds them (ops.local_relation: on a Citus worker the shards
    -- beside the trigger's; every tenant of one statement maps to the same ones)
    execute pg_catalog.format($sql$
        with docs as (
        select u.tenant_id, u.chunk_id, u.text, knowledge.bm25_length(u.text) as doc_length
          from unnest($1, $2, $3) as u (tenant_id, chunk_id, text)
    ),
    removed as (
        delete from %1$s as p
         using docs as d
         where p.tenant_id = d.tenant_id and p.chunk_id = d.chunk_id
        returning p.tenant_id, p.term
    ),
    terms as (
        update %2$s as t
           set doc_freq = t.doc_freq - r.n
          from (select removed.tenant_id, removed.term, count(*) as n
                  from removed group by removed.tenant_id, removed.term
                 order by removed.tenant_id, removed.term) as r
         where t.tenant_id = r.tenant_id and t.term = r.term
        returning t.tenant_id
    )
    update %3$s as s
       set doc_count = s.doc_count - d.n, total_length = s.total_length - d.length,
           updated_at = $4
      from (select docs.tenant_id, count(*) as n, sum(docs.doc_length) as length
              from docs group by docs.tenant_id) as d
     where s.tenant_id = d.tenant_id
    $sql$, v_postings, v_terms, v_stats)
    using p_tenant_ids, p_chunk_ids, p_texts, v_now;
end;
$function$;

comment on function knowledge.bm25_remove(uuid[], uuid[], tsvector[]) is
'BM25 upkeep for deleted (or re-worded) chunks (trigger _400_bm25): their postings go, document frequencies and the tenant''s document count and total length shrink; terms whose frequency reaches 0 are vacuumed by agentdb maintain';
