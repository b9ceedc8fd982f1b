-- Remove messages or memory documents from their tenants' BM25 statistics and postings.
-- depends: ops.local_relation ops.bm25_tf
create or replace function ops.bm25_remove_rows(p_scope text, p_tenant_ids uuid[], p_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_postings regclass := ops.local_relation('ops.bm25_postings', p_tenant_ids[1]);
    v_terms regclass := ops.local_relation('ops.bm25_terms', p_tenant_ids[1]);
    v_stats regclass := ops.local_relation('ops.bm25_stats', p_tenant_ids[1]);
begin
    if coalesce(pg_catalog.cardinality(p_tenant_ids), 0) = 0 then
        return;  -- nothing to count (a statement that changed no indexed text)
    end if;
    -- the tables as this node holds them (ops.local_relation: on a Citus worker the shards
    -- beside the trigger's; every tenant of one statement maps to the same ones)
    execute pg_catalog.format($sql$
        with docs as (
        select u.tenant_id, u.id,
               (select coalesce(sum(ops.bm25_tf(x.positions, x.weights)), 0) from unnest(u.text) as x)::integer
                   as doc_length
          from unnest($2, $3, $4) as u (tenant_id, id, text)
         where u.text is not null and u.text <> ''::tsvector
    ),
    removed as (
        delete from %1$s as p
         using docs as d
         where p.tenant_id = d.tenant_id and p.scope = $1 and p.row_id = d.id
        returning p.tenant_id, p.term
    ),
    terms as (
        update %2$s as t
           set doc_freq = t.doc_freq - r.n
          from (select removed.tenant_id, removed.term, count(*) as n
                  from removed group by removed.tenant_id, removed.term
                 order by removed.tenant_id, removed.term) as r
         where t.tenant_id = r.tenant_id and t.scope = $1 and t.term = r.term
        returning t.tenant_id
    )
    update %3$s as s
       set doc_count = s.doc_count - d.n, total_length = s.total_length - d.length,
           updated_at = pg_catalog.clock_timestamp()
      from (select docs.tenant_id, count(*) as n, sum(docs.doc_length) as length
              from docs group by docs.tenant_id) as d
     where s.tenant_id = d.tenant_id and s.scope = $1
    $sql$, v_postings, v_terms, v_stats)
    using p_scope, p_tenant_ids, p_ids, p_texts;
end;
$function$;

comment on function ops.bm25_remove_rows(text, uuid[], uuid[], tsvector[]) is
'BM25 upkeep for deleted (or re-worded) messages or memory documents (p_scope): their postings go, document frequencies and the tenant''s count and total length shrink; terms whose frequency reaches 0 are vacuumed by agentdb maintain';
