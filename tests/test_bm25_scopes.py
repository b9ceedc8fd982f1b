"""Messages and memory documents rank by BM25 like chunks: OR semantics, each tenant's own
statistics per scope, kept exact through inserts, edits and deletes."""

from __future__ import annotations

import math

import pytest

from .sample import PERSONAL, append, one
from .test_bm25 import tenant

MESSAGES = [
    "we rotate the refresh tokens every week",
    "how should refresh tokens be stored",
    "rotate the logs daily",
    "lunch is at noon",
]


def textbook(conn, scope_sql, query, k1=1.2, b=0.75):
    """BM25 over search_text of the rows scope_sql selects (id, search_text), a title (weight A) counted twice."""
    docs = {}
    for row_id, terms in conn.execute(
            f"select s.id, (select json_object_agg(lexeme, cardinality(positions) "
            f"+ coalesce(cardinality(array_positions(weights, 'A')), 0)) from unnest(s.search_text)) "
            f"from ({scope_sql}) s"):
        docs[row_id] = terms or {}
    n = len(docs)
    avgdl = sum(sum(t.values()) for t in docs.values()) / n
    words = set(one(conn, "select coalesce(array_agg(lexeme), '{}') from unnest(to_tsvector('english', %s))", (query,)))
    scores = {}
    for row_id, tf in docs.items():
        length = sum(tf.values())
        score = sum(math.log(1 + (n - sum(1 for t in docs.values() if w in t) + 0.5)
                             / (sum(1 for t in docs.values() if w in t) + 0.5))
                    * tf[w] * (k1 + 1) / (tf[w] + k1 * (1 - b + b * length / avgdl)) for w in words & set(tf))
        if score:
            scores[row_id] = score
    return scores


def test_a_question_finds_the_messages_that_match_most_of_its_words(db_conn):
    ids = [append(db_conn, PERSONAL, "user", text)[0] for text in MESSAGES]
    rows = db_conn.execute("select message_id, found_by from chat.search_messages(%s, "
                           "'how do we rotate refresh tokens')", (PERSONAL,)).fetchall()
    assert [r[0] for r in rows][:2] == [ids[0], ids[1]]  # every word of the question is in neither
    assert ids[3] not in {r[0] for r in rows} and {r[1] for r in rows} == {"keyword"}
    scores = {r[0]: r[1] for r in db_conn.execute(
        "select id, score from ops.bm25_rows('messages', %s, 'how do we rotate refresh tokens', 10)", (PERSONAL,))}
    want = textbook(db_conn, f"select id, search_text from chat.messages where tenant_id = '{PERSONAL}'",
                    "how do we rotate refresh tokens")
    assert scores == pytest.approx(want, rel=1e-9)


def test_message_statistics_follow_edits_and_deletes_and_stay_per_tenant(db_conn):
    ids = [append(db_conn, PERSONAL, "user", text)[0] for text in MESSAGES]
    other = tenant(db_conn, "other")
    for _ in range(50):
        append(db_conn, other, "user", "refresh refresh refresh tokens")
    db_conn.execute("update chat.messages set content = 'tokens are rotated hourly now' where id = %s", (ids[2],))
    db_conn.execute("delete from chat.messages where id = %s", (ids[3],))
    query = "rotate refresh tokens"
    got = {r[0]: r[1] for r in db_conn.execute("select id, score from ops.bm25_rows('messages', %s, %s, 10)",
                                               (PERSONAL, query))}
    assert got == pytest.approx(textbook(db_conn, f"select id, search_text from chat.messages "
                                                  f"where tenant_id = '{PERSONAL}'", query), rel=1e-9)
    stats = db_conn.execute("select doc_count, total_length from ops.bm25_stats where tenant_id = %s "
                            "and scope = 'messages'", (PERSONAL,)).fetchone()
    assert stats[0] == 3
    stale = one(db_conn, "select count(*) from ops.bm25_terms t where doc_freq <> (select count(*) from "
                         "ops.bm25_postings p where p.tenant_id = t.tenant_id and p.scope = t.scope and p.term = t.term)")
    assert stale == 0


def test_documents_rank_by_bm25_with_the_title_counted_twice(db_conn):
    for title, content in [("Token rotation", "how refresh tokens rotate"), ("Pool sizing", "connections and tokens"),
                           ("Lunch", "noon")]:
        db_conn.execute("insert into memory.documents (tenant_id, title, content) values (%s, %s, %s)",
                        (PERSONAL, title, content))
    rows = db_conn.execute("select title from memory.search_documents(%s, 'how do we rotate refresh tokens')",
                           (PERSONAL,)).fetchall()
    assert [r[0] for r in rows] == ["Token rotation", "Pool sizing"]
    got = {r[0]: r[1] for r in db_conn.execute(
        "select id, score from ops.bm25_rows('documents', %s, 'token rotation', 10)", (PERSONAL,))}
    assert got == pytest.approx(textbook(db_conn, f"select id, search_text from memory.documents "
                                                  f"where tenant_id = '{PERSONAL}'", "token rotation"), rel=1e-9)


def test_maintain_renormalises_message_scores_and_vacuums_their_terms(db_conn):
    append(db_conn, PERSONAL, "user", "short note")
    for _ in range(20):
        append(db_conn, PERSONAL, "user", "a much longer message about rotating refresh tokens " * 4)
    db_conn.execute("delete from chat.messages where content = 'short note'")
    rows = db_conn.execute("select * from knowledge.maintain_bm25()").fetchall()
    assert any(r[0] == PERSONAL and r[1] > 0 for r in rows) and rows[-1][2] >= 1  # renormalised; 'short', 'note' gone
    stored, real = db_conn.execute("select normalized_avgdl, total_length::float8 / doc_count from ops.bm25_stats "
                                   "where tenant_id = %s and scope = 'messages'", (PERSONAL,)).fetchone()
    assert stored == pytest.approx(real)
    assert one(db_conn, "select count(*) from ops.bm25_terms where doc_freq = 0") == 0
