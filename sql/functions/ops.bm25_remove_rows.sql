-- Remove messages or memory documents from their tenants' BM25 statistics and postings.
-- depends: ops.bm25_tf
create or replace function ops.bm25_remove_rows(p_scope text, p_tenant_ids uuid[], p_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
begin
    with docs as (
        select u.tenant_id, u.id,
               (select coalesce(sum(ops.bm25_tf(x.positions, x.weights)), 0) from unnest(u.text) as x)::integer
                   as doc_length
          from unnest(p_tenant_ids, p_ids, p_texts) as u (tenant_id, id, text)
         where u.text is not null and u.text <> ''::tsvector
    ),
    removed as (
        delete from ops.bm25_postings as p
         using docs as d
         where p.tenant_id = d.tenant_id and p.scope = p_scope and p.row_id = d.id
        returning p.tenant_id, p.term
    ),
    terms as (
        update ops.bm25_terms as t
           set doc_freq = t.doc_freq - r.n
          from (select removed.tenant_id, removed.term, count(*) as n
                  from removed group by removed.tenant_id, removed.term
                 order by removed.tenant_id, removed.term) as r
         where t.tenant_id = r.tenant_id and t.scope = p_scope and t.term = r.term
        returning t.tenant_id
    )
    update ops.bm25_stats as s
       set doc_count = s.doc_count - d.n, total_length = s.total_length - d.length,
           updated_at = pg_catalog.clock_timestamp()
      from (select docs.tenant_id, count(*) as n, sum(docs.doc_length) as length
              from docs group by docs.tenant_id) as d
     where s.tenant_id = d.tenant_id and s.scope = p_scope;
end;
$function$;

comment on function ops.bm25_remove_rows(text, uuid[], uuid[], tsvector[]) is
'BM25 upkeep for deleted (or re-worded) messages or memory documents (p_scope): their postings go, document frequencies and the tenant''s count and total length shrink; terms whose frequency reaches 0 are vacuumed by agentdb maintain';
