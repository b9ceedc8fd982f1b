"""The plain SQL statements the search benchmarks compare agentdb's functions with, on the
same data: BM25 by the textbook (every posting) and truncated (each term's best postings,
the former leg), one HNSW statement, and a one-statement hybrid over pg_textsearch's C BM25
index (Block-Max WAND) and HNSW. Parameters: t tenant, q text, v vector, m model, k, n
candidates."""

from __future__ import annotations

_TERMS = """
with q as (select distinct x as term from unnest(tsvector_to_array(to_tsvector(
               (select text_search_config from core.tenants where id = %(t)s), %(q)s))) x),
st as (select doc_count::float8 as n, total_length::float8 / doc_count as avgdl
         from knowledge.bm25_stats where tenant_id = %(t)s),
w as (select t.term, ln(1 + (st.n - t.doc_freq + 0.5) / (t.doc_freq + 0.5)) as idf
        from knowledge.bm25_terms t join q using (term) cross join st
       where t.tenant_id = %(t)s and t.doc_freq > 0)
"""

# textbook BM25 (k1 1.2, b 0.75): every posting of every query term scored
BM25_TEXTBOOK = _TERMS + """
select s.chunk_id from (
    select p.chunk_id, sum(w.idf * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.doc_length / st.avgdl))) as score
      from w join knowledge.bm25_postings p on p.tenant_id = %(t)s and p.term = w.term cross join st
     group by p.chunk_id) s
order by round(s.score::numeric, 9) desc, s.chunk_id limit %(k)s
"""

# the leg before exact top-k: each term read only its max(10k, 100) best postings
BM25_TRUNCATED = _TERMS + """
select p.chunk_id
  from w cross join st
 cross join lateral (select x.chunk_id, x.tf, x.doc_length from knowledge.bm25_postings x
                      where x.tenant_id = %(t)s and x.term = w.term
                      order by x.tf_norm desc limit greatest(%(k)s * 10, 100)) p
 group by p.chunk_id
 order by sum(w.idf * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.doc_length / st.avgdl))) desc, p.chunk_id
 limit %(k)s
"""

# the ef_search knowledge.search_chunks_vector sets by default for tenant t (40 / the tenant's
# share of all chunks, times sqrt(chunks / 100k) past 100k, within 64..1000): the plain
# statement runs with the same
LEG_EF_SEARCH = """
select coalesce((select least(1000, greatest(64, ceil(40 / (s.doc_count / c.reltuples)
                                                  * greatest(1, sqrt(c.reltuples / 100000)))))::integer
                   from knowledge.bm25_stats s, pg_class c
                  where s.tenant_id = %(t)s and s.doc_count > 0 and c.oid = 'knowledge.chunks'::regclass
                    and c.reltuples > 0), 64)
"""

# the vector leg's statement, run with hnsw.iterative_scan = relaxed_order and the same ef_search
HNSW_PLAIN = """
select id from knowledge.chunks
 where tenant_id = %(t)s and embedding_model_id = %(m)s
 order by embedding::vector({dims}) <=> %(v)s::vector({dims}) limit %(k)s
"""

# pg_textsearch's BM25 index and HNSW on the same rows (table bench_ts), min-max 0.5/0.5
TEXTSEARCH_HYBRID = """
with v as (select id, 1 - (embedding <=> %(v)s::vector({dims})) as s from bench_ts
            order by embedding <=> %(v)s::vector({dims}) limit %(n)s),
     k as (select id, -(content <@> to_bm25query(%(q)s, 'bench_ts_bm25')) as s from bench_ts
            order by content <@> to_bm25query(%(q)s, 'bench_ts_bm25') limit %(n)s),
     vn as (select id, coalesce((s - min(s) over ()) / nullif(max(s) over () - min(s) over (), 0), 1) as s from v),
     kn as (select id, coalesce((s - min(s) over ()) / nullif(max(s) over () - min(s) over (), 0), 1) as s from k)
select coalesce(vn.id, kn.id) from vn full join kn on vn.id = kn.id
 order by 0.5 * coalesce(vn.s, 0) + 0.5 * coalesce(kn.s, 0) desc limit %(k)s
"""

TEXTSEARCH_SETUP = [
    "create extension if not exists pg_textsearch",
    "create table bench_ts as select chunk_index as id, content, embedding::vector({dims}) as embedding "
    "from knowledge.chunks",
    "create index bench_ts_bm25 on bench_ts using bm25 (content) with (text_config = 'english')",
    "create index on bench_ts using hnsw (embedding vector_cosine_ops)",
    "analyze bench_ts",
]
