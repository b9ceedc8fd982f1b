"""Time filters reach every leg of hybrid search: vector, BM25 and ts_rank, with an
embedding and without one (keyword only), in SQL and from `agentdb search --since`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pgvector.psycopg import register_vector

from .helpers import run_cli
from .sample import PERSONAL, one

SINCE = "2026-06-01T00:00:00+00:00"


@pytest.fixture
def dated(db_conn):
    """Twelve chunks that all match the query by text and by vector: half from 2025, half from 2026-07."""
    register_vector(db_conn)
    model = one(db_conn, "select knowledge.register_embedding_model('toy3', 3)")
    db_conn.commit()  # on Citus the definer function runs as the owner: its own transaction
    doc = one(db_conn, "insert into knowledge.documents (tenant_id, name) values (%s, 'd') returning id", (PERSONAL,))
    old, new = set(), set()
    for i in range(12):
        when = "2025-03-01T00:00:00+00:00" if i % 2 else "2026-07-01T00:00:00+00:00"
        chunk_id = one(db_conn, "insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                                "embedding_model_id, created_at) values (%s, %s, %s, %s, %s, %s, %s) returning id",
                       (PERSONAL, doc, i, f"rotate refresh tokens {'often ' * i}", np.array([1, i / 10, 0], np.float32),
                        model, when))
        (old if i % 2 else new).add(chunk_id)
    db_conn.commit()
    return db_conn, model, old, new


@pytest.mark.parametrize("leg", ["bm25", "ts_rank"])
@pytest.mark.parametrize("with_embedding", [False, True])
def test_since_and_until_filter_every_leg(dated, leg, with_embedding):
    conn, model, old, new = dated
    vector = np.array([1, 0, 0], np.float32) if with_embedding else None
    for bound, expected in (("p_since", new), ("p_until", old)):
        rows = conn.execute(f"select chunk_id, found_by from knowledge.hybrid_search(%s, 'rotate refresh tokens', %s, "
                            f"%s, 20, p_keyword_leg => %s, {bound} => %s)",
                            (PERSONAL, vector, model if with_embedding else None, leg, SINCE)).fetchall()
        assert {r[0] for r in rows} == expected  # all six, none from the other side of the bound
        if with_embedding:
            assert {r[1] for r in rows} == {"both"}  # each leg found them: each leg was filtered


def test_each_leg_alone_takes_the_time_filter(dated):
    conn, model, old, new = dated
    legs = {
        "bm25": "select chunk_id from knowledge.search_chunks_bm25(%s, 'rotate refresh tokens', 20, "
                "p_since => %s)",
        "ts_rank": "select chunk_id from knowledge.search_chunks_keyword(%s, 'rotate refresh tokens', 20, "
                   "p_since => %s)",
    }
    for statement in legs.values():
        assert {r[0] for r in conn.execute(statement, (PERSONAL, SINCE))} == new
    rows = conn.execute("select chunk_id from knowledge.search_chunks_vector(%s, %s, %s, 20, p_since => %s)",
                        (PERSONAL, model, np.array([1, 0, 0], np.float32), SINCE))
    assert {r[0] for r in rows} == new


def test_agentdb_search_since_without_an_embedder(dated, db_url):
    conn, _, _, new = dated
    result = run_cli("search", "rotate refresh tokens", "--since", SINCE, "-k", "20", "--database-url", db_url,
                     "--format", "json", env={"AGENTDB_EMBEDDER": ""})
    assert result.exit_code == 0, result.stderr
    contents = {r["content"] for r in json.loads(result.stdout)}
    assert contents == {one(conn, "select content from knowledge.chunks where id = %s", (i,)) for i in new}
