-- Add messages or memory documents to their tenants' BM25 statistics and postings.
-- depends: ops.local_relation ops.bm25_tf
create or replace function ops.bm25_add_rows(p_scope text, p_tenant_ids uuid[], p_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_stats regclass := ops.local_relation('ops.bm25_stats', p_tenant_ids[1]);
    v_postings regclass := ops.local_relation('ops.bm25_postings', p_tenant_ids[1]);
    v_terms regclass := ops.local_relation('ops.bm25_terms', p_tenant_ids[1]);
begin
    if coalesce(pg_catalog.cardinality(p_tenant_ids), 0) = 0 then
        return;  -- nothing to count (a statement that changed no indexed text)
    end if;
    -- the tables as this node holds them (ops.local_relation: on a Citus worker the shards
    -- beside the trigger's; every tenant of one statement maps to the same ones)
    execute pg_catalog.format($sql$
        with docs as (
        select u.tenant_id, u.id, u.text,
               (select coalesce(sum(ops.bm25_tf(x.positions, x.weights)), 0) from unnest(u.text) as x)::integer
                   as doc_length
          from unnest($2, $3, $4) as u (tenant_id, id, text)
         where u.text is not null and u.text <> ''::tsvector
    ),
    stats as (
        insert into %1$s as s (tenant_id, scope, doc_count, total_length, normalized_avgdl)
        select d.tenant_id, $1, count(*), sum(d.doc_length),
               nullif(sum(d.doc_length)::double precision / count(*), 0)
          from docs as d
         group by d.tenant_id
         order by d.tenant_id
        on conflict (tenant_id, scope) do update
           set doc_count = s.doc_count + excluded.doc_count,
               total_length = s.total_length + excluded.total_length,
               normalized_avgdl = coalesce(s.normalized_avgdl, excluded.normalized_avgdl),
               updated_at = pg_catalog.clock_timestamp()
        returning s.tenant_id, coalesce(s.normalized_avgdl, 1) as avgdl
    ),
    postings as (
        insert into %2$s (tenant_id, scope, term, row_id, tf, doc_length, tf_norm)
        select d.tenant_id, $1, x.lexeme, d.id, ops.bm25_tf(x.positions, x.weights), d.doc_length,
               (ops.bm25_tf(x.positions, x.weights) * 2.2
                / (ops.bm25_tf(x.positions, x.weights) + 1.2 * (0.25 + 0.75 * d.doc_length / st.avgdl)))::real
          from docs as d
          join stats as st on st.tenant_id = d.tenant_id
         cross join lateral unnest(d.text) as x
         order by d.tenant_id, x.lexeme, d.id
        returning tenant_id, term
    )
    insert into %3$s as t (tenant_id, scope, term, doc_freq)
    select p.tenant_id, $1, p.term, count(*)
      from postings as p
     group by p.tenant_id, p.term
     order by p.tenant_id, p.term
    on conflict (tenant_id, scope, term) do update set doc_freq = t.doc_freq + excluded.doc_freq
    $sql$, v_stats, v_postings, v_terms)
    using p_scope, p_tenant_ids, p_ids, p_texts;
end;
$function$;

comment on function ops.bm25_add_rows(text, uuid[], uuid[], tsvector[]) is
'BM25 upkeep for new messages or memory documents (p_scope; trigger _400_bm25 via ops.tg_bm25_rows), like knowledge.bm25_add for chunks: one posting per term, document frequencies and the tenant''s count and total length grow by the batch; rows with an empty text vector are not counted';
