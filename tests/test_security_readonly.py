"""The read-only role runs memory retrieval (p_touch => false) and every search function,
and the named retrieval query with touch=false, without writing a thing."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from toolkit import queries

from .conftest import ROOT
from .tenant_data import fill

# every search function of the catalog (name ~ search / retrieve / _rows), with a call
SEARCHES = {
    "chat.search_messages": "select * from chat.search_messages(%(t)s, 'hello', '[1,0,0]', %(m)s)",
    "knowledge.hybrid_search": "select * from knowledge.hybrid_search(%(t)s, 'x', '[1,0,0]', %(m)s)",
    "knowledge.search_chunks_bm25": "select * from knowledge.search_chunks_bm25(%(t)s, 'x')",
    "knowledge.search_chunks_keyword": "select * from knowledge.search_chunks_keyword(%(t)s, 'x')",
    "knowledge.search_chunks_vector": "select * from knowledge.search_chunks_vector(%(t)s, %(m)s, '[1,0,0]')",
    "memory.search_documents": "select * from memory.search_documents(%(t)s, 'v2')",
    "memory.retrieve_memories": "select * from memory.retrieve_memories(%(t)s, %(a)s, '[1,0,0]', %(m)s, "
                                "p_touch => false)",
    "ops.keyword_rows": "select * from ops.keyword_rows('chat.messages', 'hello', 5, %(t)s)",
    "ops.nearest_rows": "select * from ops.nearest_rows('knowledge.chunks', %(m)s, '[1,0,0]', 5, %(t)s)",
    "ops.hybrid_rows": "select * from ops.hybrid_rows('chat.messages', %(t)s, 'hello', null, null, 5, 'weighted')",
    "ops.bm25_rows": "select * from ops.bm25_rows('messages', %(t)s, 'hello', 5)",
}
# functions whose names look like searches but are not: upkeep and helpers
NOT_SEARCHES = {"ops.count_rows", "ops.filter_ranked_rows", "ops.bm25_add_rows", "ops.bm25_remove_rows",
                "ops.tg_bm25_rows"}


@pytest.fixture
def searchable(db_conn):
    t = fill(db_conn, "alpha")
    model = db_conn.execute("select knowledge.register_embedding_model('ro-3', 3)").fetchone()[0]
    for table in ("knowledge.chunks", "memory.memories"):
        db_conn.execute(f"update {table} set embedding = '[1,0,0]', embedding_model_id = %s", (model,))
    agent = db_conn.execute("select id from agents.agents where tenant_id = %s and slug = 'bot'", (t,)).fetchone()[0]
    db_conn.commit()
    return t, model, agent


def test_every_search_function_is_listed(db_conn):
    found = {r[0] for r in db_conn.execute(
        "select pronamespace::regnamespace::text || '.' || proname from pg_proc "
        "where pronamespace::regnamespace::text in ('chat', 'memory', 'knowledge', 'ops') "
        "and proname ~ '(search|retrieve|_rows$)'")}
    assert found - NOT_SEARCHES == set(SEARCHES)


def test_the_readonly_role_retrieves_and_searches_without_writing(db_conn, searchable):
    t, model, agent = searchable
    role = dict(db_conn.execute("select kind, name from ops.roles").fetchall())["readonly"]
    touched = "select sum(access_count), max(last_accessed_at) from memory.memories"
    before = db_conn.execute(touched).fetchone()
    db_conn.commit()
    db_conn.autocommit = True
    found = {}
    for name, statement in SEARCHES.items():
        with db_conn.transaction():
            db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
            db_conn.execute("select ops.set_tenant('alpha')")
            found[name] = len(db_conn.execute(statement, {"t": t, "m": model, "a": agent}).fetchall())
    assert all(found.values()), found  # each found something: the calls were real
    query = queries.load_all(ROOT / "sql" / "queries")["retrieve_memories"]
    values = queries.bind(db_conn, query, {"tenant": "alpha", "agent": "bot", "touch": "false"})
    with db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
        db_conn.execute("select ops.set_tenant('alpha')")
        assert db_conn.execute(queries.compile_sql(query), values).fetchall()
    assert db_conn.execute(touched).fetchone() == before
    # touching is a write, which the read-only role may not do
    with pytest.raises(psycopg.errors.InsufficientPrivilege), db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
        db_conn.execute("select ops.set_tenant('alpha')")
        db_conn.execute("select * from memory.retrieve_memories(%s, %s)", (t, agent))
