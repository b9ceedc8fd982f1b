-- Add chunks to their tenants' BM25 statistics and postings.
-- depends: ops.local_relation knowledge.bm25_length
create or replace function knowledge.bm25_add(p_tenant_ids uuid[], p_chunk_ids uuid[], p_texts tsvector[])
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_stats regclass := ops.local_relation('knowledge.bm25_stats', p_tenant_ids[1]);
    v_postings regclass := ops.local_relation('knowledge.bm25_postings', p_tenant_ids[1]);
    v_terms regclass := ops.local_relation('knowledge.bm25_terms', p_tenant_ids[1]);
    -- the time as a value: Citus refuses volatile functions in a distributed DO UPDATE SET
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
    stats as (
        insert into %1$s as s (tenant_id, doc_count, total_length, normalized_avgdl)
        select d.tenant_id, count(*), sum(d.doc_length), nullif(sum(d.doc_length)::double precision / count(*), 0)
          from docs as d
         group by d.tenant_id
         order by d.tenant_id
        on conflict (tenant_id) do update
           set doc_count = s.doc_count + excluded.doc_count,
               total_length = s.total_length + excluded.total_length,
               normalized_avgdl = coalesce(s.normalized_avgdl, excluded.normalized_avgdl),
               updated_at = $4
        returning s.tenant_id, coalesce(s.normalized_avgdl, 1) as avgdl
    ),
    postings as (
        -- in key order: the B-tree pages fill in sequence (faster for a large batch)
        insert into %2$s (tenant_id, term, chunk_id, tf, doc_length, tf_norm)
        select d.tenant_id, x.lexeme, d.chunk_id, coalesce(pg_catalog.cardinality(x.positions), 1), d.doc_length,
               (coalesce(pg_catalog.cardinality(x.positions), 1) * 2.2
                / (coalesce(pg_catalog.cardinality(x.positions), 1) + 1.2 * (0.25 + 0.75 * d.doc_length / st.avgdl)))::real
          from docs as d
          join stats as st on st.tenant_id = d.tenant_id
         cross join lateral unnest(d.text) as x
         order by d.tenant_id, x.lexeme, d.chunk_id
        returning tenant_id, term
    )
    insert into %3$s as t (tenant_id, term, doc_freq)
    select p.tenant_id, p.term, count(*)
      from postings as p
     group by p.tenant_id, p.term
     order by p.tenant_id, p.term
    on conflict (tenant_id, term) do update set doc_freq = t.doc_freq + excluded.doc_freq
    $sql$, v_stats, v_postings, v_terms)
    using p_tenant_ids, p_chunk_ids, p_texts, v_now;
end;
$function$;

comment on function knowledge.bm25_add(uuid[], uuid[], tsvector[]) is
'BM25 upkeep for new chunks (called by trigger _400_bm25): one posting per term with tf, document length and the k1 1.2 / b 0.75 term score normalised by the tenant''s average length when first seen; document frequencies and the tenant''s document count and total length grow by the batch (terms locked in a fixed order, so concurrent loads do not deadlock)';
