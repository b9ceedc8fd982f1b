"""Exact BM25 top-k (ops.bm25_rows behind knowledge.search_chunks_bm25): the same ranking as
the textbook formula computed here, on hand-built chunks with many exact ties and a term in
every chunk, while reading only prefixes of the postings lists when the ranking allows."""

from __future__ import annotations

import math
import random

import pytest

from .sample import PERSONAL, one
from .test_bm25 import load

# templates repeated many times: identical chunks score identically (ties by chunk id)
TEMPLATES = [
    "common alpha beta",
    "common alpha alpha beta gamma",
    "common beta",
    "common gamma gamma gamma delta",
    "common alpha beta gamma delta epsilon",
    "common common common filler words here",
]


def corpus(seed=5, size=1500):
    rng = random.Random(seed)
    texts = [rng.choice(TEMPLATES) for _ in range(size)]
    texts += [f"common zeta rare{i} " + "padding " * rng.randint(0, 6) for i in range(20)]  # rare terms
    texts += ["common " + " ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(rng.randint(1, 12)))
              for _ in range(500)]  # varied tf and lengths
    return texts


def textbook(conn, tenant, query, k, k1=1.2, b=0.75):
    """Top k (id, score) by the formula over every chunk, ties (to 9 decimals) by id."""
    docs = {}
    for chunk_id, terms in conn.execute(
            "select id, (select json_object_agg(lexeme, coalesce(cardinality(positions), 1)) from unnest(search_text)) "
            "from knowledge.chunks where tenant_id = %s", (tenant,)):
        docs[chunk_id] = terms or {}
    n = len(docs)
    avgdl = sum(sum(t.values()) for t in docs.values()) / n
    words = set(one(conn, "select coalesce(array_agg(lexeme), '{}') from unnest(to_tsvector('english', %s))", (query,)))
    df = {w: sum(1 for t in docs.values() if w in t) for w in words}
    scores = {}
    for chunk_id, tf in docs.items():
        length = sum(tf.values())
        parts = [math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5)) * tf[w] * (k1 + 1)
                 / (tf[w] + k1 * (1 - b + b * length / avgdl)) for w in sorted(words & set(tf))]
        if parts:
            scores[chunk_id] = sum(parts)
    ranked = sorted(scores.items(), key=lambda item: (-round(item[1], 9), str(item[0])))
    return ranked[:k]


def got(conn, tenant, query, k, **params):
    named = "".join(f", p_{name} => {value}" for name, value in params.items())
    return conn.execute(f"select chunk_id, score from knowledge.search_chunks_bm25(%s, %s, %s{named}) order by rank",
                        (tenant, query, k)).fetchall()


QUERIES = ["alpha", "common", "common alpha", "alpha beta gamma", "zeta rare3 common", "delta epsilon",
           "gamma common filler", "alpha beta gamma delta epsilon zeta common", "nothing here", "rare7"]


@pytest.mark.parametrize("k", [1, 7, 10, 50])
def test_top_k_equals_the_textbook_ranking_with_ties_and_a_term_in_every_chunk(db_conn, k):
    load(db_conn, PERSONAL, corpus())
    for query in QUERIES:
        want, have = textbook(db_conn, PERSONAL, query, k), got(db_conn, PERSONAL, query, k)
        assert [i for i, _ in have] == [i for i, _ in want], (query, k)
        assert [s for _, s in have] == pytest.approx([s for _, s in want], rel=1e-9)


def test_exact_after_the_average_length_drifted_and_with_other_parameters(db_conn):
    load(db_conn, PERSONAL, corpus(seed=9, size=800))
    # long chunks added later: the stored scores were normalised with a shorter avgdl
    load(db_conn, PERSONAL, ["alpha beta " + "long filler text " * 30 for _ in range(300)], name="long")
    stored, real = db_conn.execute("select normalized_avgdl, total_length::float8 / doc_count "
                                   "from knowledge.bm25_stats where tenant_id = %s", (PERSONAL,)).fetchone()
    assert real > stored * 1.5
    for query in ("alpha beta", "gamma delta common", "filler alpha"):
        assert [i for i, _ in got(db_conn, PERSONAL, query, 10)] == [i for i, _ in textbook(db_conn, PERSONAL, query, 10)]
        assert [i for i, _ in got(db_conn, PERSONAL, query, 10, k1=2.0, b=0.3)] == [
            i for i, _ in textbook(db_conn, PERSONAL, query, 10, 2.0, 0.3)]


def _postings_read(conn):
    conn.execute("select pg_stat_force_next_flush()")
    conn.execute("select pg_stat_clear_snapshot()")
    return one(conn, "select sum(idx_tup_read) from pg_stat_user_indexes where schemaname = 'knowledge' "
                     "and relname = 'bm25_postings'")


def test_a_rare_term_beside_a_term_in_every_chunk_reads_a_prefix_only(db_conn):
    texts = [f"common words everywhere item{i % 50}" for i in range(6000)] + ["common rare words"] * 5
    load(db_conn, PERSONAL, texts)
    db_conn.commit()
    before = _postings_read(db_conn)
    rows = got(db_conn, PERSONAL, "rare common everywhere", 10)
    read = _postings_read(db_conn) - before
    assert [i for i, _ in rows] == [i for i, _ in textbook(db_conn, PERSONAL, "rare common everywhere", 10)]
    assert read < 6000  # the three lists hold 6,005 + 5 + 6,000 postings
