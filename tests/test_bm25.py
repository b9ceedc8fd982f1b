"""BM25 in plain SQL: the textbook formula, statistics kept exact through every kind of
write, tenants that never shift each other's scores, OR semantics (exact top-k and the postings it
reads: tests/test_bm25_exact.py)."""

from __future__ import annotations

import json
import math

import pytest

from .sample import PERSONAL, one

DOCS = [
    "The quick brown fox jumps over the lazy dog",
    "A quick brown dog outpaces a quick red fox",
    "Postgres stores vectors and full text side by side",
    "Foxes are quick; dogs are loyal",
    "Vector search with HNSW indexes in Postgres",
]


def load(conn, tenant, texts, name="doc"):
    doc = one(conn, "insert into knowledge.documents (tenant_id, name) values (%s, %s) returning id", (tenant, name))
    with conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content) from stdin") as copy:
        for i, text in enumerate(texts):
            copy.write_row((tenant, doc, i, text))
    return doc


def tenant(conn, slug):
    return one(conn, "insert into core.tenants (slug, name) values (%s, %s) returning id", (slug, slug))


def expected_scores(conn, tenant_id, query, k1=1.2, b=0.75):
    """BM25 computed here from the chunks' tsvectors: ln(1 + (N - n + 0.5)/(n + 0.5)) idf."""
    docs = {}
    for chunk_id, vector in conn.execute("select id, (select json_object_agg(lexeme, coalesce(cardinality(positions), 1))"
                                         " from unnest(search_text)) from knowledge.chunks where tenant_id = %s",
                                         (tenant_id,)):
        docs[chunk_id] = vector or {}
    n_docs = len(docs)
    avgdl = sum(sum(tf.values()) for tf in docs.values()) / n_docs
    terms = set(one(conn, "select coalesce(array_agg(lexeme), '{}') from unnest(to_tsvector('english', %s))", (query,)))
    scores = {}
    for chunk_id, tf in docs.items():
        length = sum(tf.values())
        score = 0.0
        for term in terms & set(tf):
            df = sum(1 for other in docs.values() if term in other)
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            score += idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * length / avgdl))
        if score:
            scores[chunk_id] = score
    return scores


def got_scores(conn, tenant_id, query, **params):
    args = "".join(f", p_{k} => {v}" for k, v in params.items())
    return {r[0]: r[1] for r in conn.execute(
        f"select chunk_id, score from knowledge.search_chunks_bm25(%s, %s, 100{args})", (tenant_id, query))}


def test_scores_equal_the_textbook_formula(db_conn):
    load(db_conn, PERSONAL, DOCS)
    for query in ("quick fox", "postgres vector search", "lazy dog jumps", "nothing matches here zebra fox"):
        got, want = got_scores(db_conn, PERSONAL, query), expected_scores(db_conn, PERSONAL, query)
        assert set(got) == set(want) and got == pytest.approx(want, rel=1e-9), query
    got = got_scores(db_conn, PERSONAL, "quick fox", k1=2.0, b=0.3)
    assert got == pytest.approx(expected_scores(db_conn, PERSONAL, "quick fox", 2.0, 0.3), rel=1e-9)


def test_any_query_term_may_match_and_rare_terms_weigh_more(db_conn):
    load(db_conn, PERSONAL, DOCS)
    rows = db_conn.execute("select c.content from knowledge.search_chunks_bm25(%s, "
                           "'what do loyal zebras think about quick foxes', 3) s join knowledge.chunks c "
                           "on c.id = s.chunk_id order by s.rank", (PERSONAL,)).fetchall()
    assert rows[0][0] == "Foxes are quick; dogs are loyal"  # the only one with the rare word "loyal"


def _recount(conn):
    """(stats, terms, postings) recomputed from the chunks, and as stored."""
    truth = conn.execute("""
        with t as (select c.tenant_id, c.id, x.lexeme, coalesce(cardinality(x.positions), 1) as tf
                     from knowledge.chunks c cross join unnest(c.search_text) x)
        select (select json_object_agg(tenant_id, json_build_array(n, len)) from (
                    select c.tenant_id, count(*) as n,
                           sum((select coalesce(sum(coalesce(cardinality(x.positions), 1)), 0) from unnest(c.search_text) x)) as len
                      from knowledge.chunks c group by 1) s),
               (select count(*) from (select distinct tenant_id, lexeme from t) d),
               (select count(*) from t)
    """).fetchone()
    stored = conn.execute("""
        select (select json_object_agg(tenant_id, json_build_array(doc_count, total_length))
                  from knowledge.bm25_stats where doc_count > 0),
               (select count(*) from knowledge.bm25_terms where doc_freq > 0),
               (select count(*) from knowledge.bm25_postings)
    """).fetchone()
    frequencies = conn.execute("""
        select count(*) from knowledge.bm25_terms t
         where t.doc_freq <> (select count(*) from knowledge.bm25_postings p
                               where p.tenant_id = t.tenant_id and p.term = t.term)
    """).fetchone()[0]
    return truth, stored, frequencies


def test_statistics_stay_exact_through_inserts_updates_deletes_and_bulk_loads(db_conn):
    other = tenant(db_conn, "other")
    doc = load(db_conn, PERSONAL, DOCS)
    load(db_conn, other, [f"bulk text number {i} about foxes and {'dogs' if i % 3 else 'cats'}" for i in range(3000)])
    db_conn.execute("update knowledge.chunks set content = 'completely different words now' "
                    "where document_id = %s and chunk_index = 1", (doc,))
    db_conn.execute("update knowledge.chunks set metadata = '{\"x\": 1}' where document_id = %s", (doc,))
    db_conn.execute("delete from knowledge.chunks where document_id = %s and chunk_index in (0, 4)", (doc,))
    db_conn.execute("delete from knowledge.chunks where tenant_id = %s and chunk_index %% 2 = 0", (other,))
    truth, stored, drift = _recount(db_conn)
    assert json.loads(json.dumps(truth[0])) == stored[0] and truth[1:] == stored[1:] and drift == 0
    assert got_scores(db_conn, PERSONAL, "quick fox") == pytest.approx(expected_scores(db_conn, PERSONAL, "quick fox"))


def test_one_tenants_corpus_never_changes_anothers_scores(db_conn):
    load(db_conn, PERSONAL, DOCS)
    before = got_scores(db_conn, PERSONAL, "quick brown fox")
    noisy = tenant(db_conn, "noisy")
    load(db_conn, noisy, ["quick quick quick brown fox " * 5] * 500 + ["unrelated"] * 500)
    assert got_scores(db_conn, PERSONAL, "quick brown fox") == before
    words = {r[0] for r in db_conn.execute("select term from knowledge.bm25_terms where tenant_id = %s", (PERSONAL,))}
    assert "unrelat" not in words  # no statistic carries another tenant's words


def test_the_tenants_text_search_configuration_is_used(db_conn):
    simple = tenant(db_conn, "plain")
    db_conn.execute("update core.tenants set text_search_config = 'simple' where id = %s", (simple,))
    doc = one(db_conn, "insert into knowledge.documents (tenant_id, name) values (%s, 'd') returning id", (simple,))
    db_conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, text_config) "
                    "values (%s, %s, 0, 'the running foxes', 'simple')", (simple, doc))
    terms = {r[0] for r in db_conn.execute("select term from knowledge.bm25_terms where tenant_id = %s", (simple,))}
    assert terms == {"the", "running", "foxes"}  # no stemming, no stop words removed
    assert got_scores(db_conn, simple, "running") and not got_scores(db_conn, simple, "run")


def test_maintain_renormalises_after_drift_and_vacuums_terms(db_conn, db_url):
    from .helpers import run_cli

    load(db_conn, PERSONAL, ["short"] * 10)
    load(db_conn, PERSONAL, ["a much longer chunk of text with many many distinct words in it " * 3] * 30, name="d2")
    db_conn.execute("delete from knowledge.chunks where content = 'short'")
    db_conn.commit()
    result = run_cli("maintain", "--database-url", db_url, "--format", "json")
    steps = [s for s in json.loads(result.stdout) if s["step"] == "bm25"]
    assert any("renormalised" in s["done"] for s in steps) and any("vacuumed" in s["done"] for s in steps)
    stale = one(db_conn, "select count(*) from knowledge.bm25_terms where doc_freq = 0")
    assert stale == 0


def deferred(conn):
    conn.execute("set local agentdb.defer_keyword_index = on")


def waiting(conn):
    return one(conn, "select count(*) from knowledge.bm25_pending")


def test_a_deferred_load_is_indexed_later_exactly_as_an_inline_one(db_conn):
    inline = tenant(db_conn, "inline")
    load(db_conn, inline, DOCS)
    deferred(db_conn)
    load(db_conn, PERSONAL, DOCS)
    assert waiting(db_conn) == len(DOCS)
    assert got_scores(db_conn, PERSONAL, "quick fox") == {}  # not in the keyword index yet
    assert one(db_conn, "select count(*) from knowledge.search_chunks_keyword(%s, 'quick fox')", (PERSONAL,)) == 0
    assert one(db_conn, "select knowledge.index_pending_chunks()") == len(DOCS)
    assert waiting(db_conn) == 0
    scores = got_scores(db_conn, PERSONAL, "quick fox")
    assert scores == pytest.approx(expected_scores(db_conn, PERSONAL, "quick fox"))
    assert sorted(scores.values()) == pytest.approx(sorted(got_scores(db_conn, inline, "quick fox").values()))
    truth, stored, drift = _recount(db_conn)
    assert json.loads(json.dumps(truth[0])) == stored[0] and truth[1:] == stored[1:] and drift == 0


def test_deleting_or_rewording_a_waiting_chunk_keeps_the_statistics_exact(db_conn):
    doc = load(db_conn, PERSONAL, DOCS[:2])
    deferred(db_conn)
    load(db_conn, PERSONAL, DOCS[2:], name="later")
    db_conn.execute("delete from knowledge.chunks where content = %s", (DOCS[2],))  # waiting: only leaves the queue
    db_conn.execute("delete from knowledge.chunks where content = %s", (DOCS[0],))  # indexed: leaves the index
    db_conn.execute("update knowledge.chunks set content = 'reworded while deferred' where document_id = %s", (doc,))
    assert waiting(db_conn) == 3  # two still waiting from the load, one re-worded
    db_conn.execute("select set_config('agentdb.defer_keyword_index', 'off', true)")
    db_conn.execute("update knowledge.chunks set content = 'reworded inline' where content = %s", (DOCS[3],))
    assert waiting(db_conn) == 2  # an inline re-wording indexes the chunk at once
    one(db_conn, "select knowledge.index_pending_chunks(1)")
    assert waiting(db_conn) == 1
    one(db_conn, "select knowledge.index_pending_chunks()")
    truth, stored, drift = _recount(db_conn)
    assert json.loads(json.dumps(truth[0])) == stored[0] and truth[1:] == stored[1:] and drift == 0
    assert set(got_scores(db_conn, PERSONAL, "reworded")) == set(
        r[0] for r in db_conn.execute("select id from knowledge.chunks where content like 'reworded%'"))


def test_concurrent_indexing_passes_index_each_chunk_once(db_url):
    import threading

    import psycopg

    url = db_url
    with psycopg.connect(url) as conn:
        deferred(conn)
        load(conn, PERSONAL, [f"passage {i} about foxes, dogs and word{i % 50}" for i in range(3000)])
    counts = []

    def index():
        with psycopg.connect(url) as conn:
            while batch := one(conn, "select knowledge.index_pending_chunks(200)"):
                counts.append(batch)
                conn.commit()

    workers = [threading.Thread(target=index) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(counts) == 3000
    with psycopg.connect(url) as conn:
        assert waiting(conn) == 0
        truth, stored, drift = _recount(conn)
        assert json.loads(json.dumps(truth[0])) == stored[0] and truth[1:] == stored[1:] and drift == 0


def test_maintain_indexes_what_a_deferred_load_left(db_conn, db_url):
    from .helpers import run_cli

    deferred(db_conn)
    load(db_conn, PERSONAL, DOCS)
    db_conn.commit()
    dry = run_cli("maintain", "--database-url", db_url, "--dry-run", "--format", "json")
    assert {"step": "keyword index", "table": "knowledge.bm25_pending", "done": f"would index {len(DOCS)} chunk(s)",
            "rows": len(DOCS)} in json.loads(dry.stdout)
    assert waiting(db_conn) == len(DOCS)
    done = run_cli("maintain", "--database-url", db_url, "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert [s["rows"] for s in json.loads(done.stdout) if s["step"] == "keyword index"] == [len(DOCS)]
    assert waiting(db_conn) == 0
    assert got_scores(db_conn, PERSONAL, "quick fox") == pytest.approx(expected_scores(db_conn, PERSONAL, "quick fox"))
