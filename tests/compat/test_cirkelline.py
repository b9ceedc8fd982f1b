"""cirkelline's documented SQL (seed 002), verbatim through the cirkelline pack (its `ai`
schema), as the app role with the tenant set: sessions, knowledge metadata and its
768-dimensional vectors, the memory archive."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pgvector import Vector
from pgvector.psycopg import register_vector


def axis(*weights: float) -> Vector:
    """A 768-dimensional vector with the given leading components."""
    return Vector(list(weights) + [0.0] * (768 - len(weights)))


QUERY = axis(1.0)


@pytest.fixture
def cirkelline(db_conn, pack_client):
    db_conn.execute("insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline'), ('other', 'Other')")
    db_conn.execute("select knowledge.register_embedding_model('gemini-768', 768, 'cosine', 'vector', 16, 200)")
    db_conn.commit()
    register_vector(db_conn)
    statements, session = pack_client("cirkelline")
    with session("cirkelline") as c:
        for user in ("user-123", "current-user-id", "user-456"):
            c.sql("insert into core.users (tenant_id, external_id) values (ops.current_tenant_id(), %s)", user)
    with session("other") as c:
        c.sql("insert into core.users (tenant_id, external_id) values (ops.current_tenant_id(), 'user-123')")
        c.sql("insert into ai.agno_knowledge (id, name, metadata) values (123, 'theirs', '{\"user_id\": \"user-123\"}')")
        c.sql("insert into ai.cirkelline_knowledge_vectors (embedding, chunk_text, document_id, metadata) "
              "values (%s, 'their chunk', 123, '{\"user_id\": \"user-123\"}')", QUERY)
        c.sql("insert into ai.agno_sessions (session_id, user_id, name) values (gen_random_uuid(), 'user-123', 'theirs')")
    return statements, session


def test_cirkelline_sessions(cirkelline):
    _, session = cirkelline
    day = timedelta(days=1)
    now = datetime.now(timezone.utc)
    with session("cirkelline") as c:
        assert c.run("create_session") == 1
        c.sql("insert into ai.agno_sessions (session_id, user_id, name, created_at) values "
              "(gen_random_uuid(), 'user-123', 'older', %s), (gen_random_uuid(), 'user-123', 'gone', %s), "
              "(gen_random_uuid(), 'current-user-id', 'mine', %s)", now - 2 * day, now - day, now - day)
        assert c.sql("update ai.agno_sessions set is_archived = true where name = 'gone'") == 1

        live = c.run("load_sessions_for_user")
        assert [(s["name"], s["user_id"], s["is_archived"]) for s in live] == [
            (None, "user-123", False), ("older", "user-123", False)]
        assert live[0]["session_id"] == live[0]["id"] and live[0]["created_at"] > live[1]["created_at"]
        assert c.run("load_user_sessions", "user-123") == live
        assert [s["name"] for s in c.run("sessions_for_user")] == ["mine"]
        assert c.sql("select count(*) as n from chat.conversations where archived_at is not null") == [{"n": 1}]
    with session("other") as c:
        assert [s["name"] for s in c.run("load_sessions_for_user")] == ["theirs"]


def test_cirkelline_knowledge_and_vectors(cirkelline):
    _, session = cirkelline
    with session("cirkelline") as c:
        c.sql("insert into ai.agno_knowledge (id, name, file_name, content_type, metadata) values "
              "(123, 'report', 'report.pdf', 'application/pdf', "
              "'{\"user_id\": \"user-123\", \"document_type\": \"pdf\", \"tags\": [\"research\"]}'), "
              "(124, 'notes', 'notes.md', 'text/markdown', '{\"user_id\": \"user-123\", \"document_type\": \"md\"}')")
        c.sql("insert into ai.agno_knowledge (name, metadata) values "
              "('theirs', '{\"user_id\": \"current-user-id\", \"document_type\": \"pdf\"}')")
        mine = c.sql("select id from ai.agno_knowledge where name = 'theirs'")[0]["id"]
        chunks = [  # (vector, text, document, metadata)
            (axis(1.0), "exact", 123, '{"user_id": "user-123", "chunk_index": 0, "similarity_to_query": 0.87}'),
            (axis(0.8, 0.6), "close", 123, '{"user_id": "user-123", "chunk_index": 1}'),
            (axis(0.0, 1.0), "orthogonal", 124, '{"user_id": "user-123"}'),
            (axis(0.0, 0.0, 1.0), "someone else's", mine, '{"user_id": "current-user-id"}'),
        ]
        for vector, text, document, metadata in chunks:
            c.sql("insert into ai.cirkelline_knowledge_vectors (embedding, chunk_text, document_id, metadata) "
                  "values (%s, %s, %s, %s)", vector, text, document, metadata)

        found = c.run("semantic_search", named={"query_embedding": ("public.vector(768)", QUERY)})
        assert [(r["chunk_text"], round(r["similarity"], 6)) for r in found] == [
            ("exact", 1.0), ("close", 0.8), ("orthogonal", 0.0)]
        c.fails("hybrid_search_bm25", named={"query_embedding": ("public.vector(768)", QUERY)})
        hybrid = c.instead("hybrid_search_bm25", "exact", QUERY)
        assert hybrid[0]["content"] == "exact" and hybrid[0]["found_by"] == "both"
        assert {r["metadata"]["user_id"] for r in hybrid} == {"user-123"}
        assert [r["chunk_text"] for r in c.run("search_knowledge_for_user",
                                               named={"query_vector": ("public.vector(768)", QUERY)})] == ["someone else's"]

        pdfs = c.run("knowledge_by_metadata")
        assert [(d["id"], d["file_name"], d["metadata"]["tags"]) for d in pdfs] == [(123, "report.pdf", ["research"])]
        assert c.run("update_knowledge_metadata") == 1
        assert c.sql("select id, metadata from ai.agno_knowledge where id = 123") == [
            {"id": 123, "metadata": {"user_id": "user-123", "document_type": "pdf", "tags": "new-tag"}}]

        nearest = c.run("vector_search", named={"query_vector": ("public.vector(768)", QUERY)})
        assert [r["chunk_text"] for r in nearest] == ["exact", "close", "orthogonal", "someone else's"]
        assert {r["document_id"] for r in nearest} == {123, 124, mine}
        assert nearest[0]["embedding"].count(",") == 767  # a 768-d vector, as JSON text
        near = c.run("vector_search_threshold", named={"query_vector": ("public.vector(768)", QUERY)})
        assert sorted(r["chunk_text"] for r in near) == ["close", "exact"]

        with_stored = c.run("search_knowledge", "user-123", QUERY)
        assert [(r["chunk_text"], r["similarity"]) for r in with_stored] == [
            ("exact", 0.87), ("close", None), ("orthogonal", None)]
    with session("other") as c:
        assert [r["chunk_text"] for r in c.run("vector_search", named={"query_vector": ("public.vector(768)", QUERY)})] \
            == ["their chunk"]
        assert c.run("knowledge_by_metadata") == []
        assert c.sql("select metadata from ai.agno_knowledge where id = 123") == [{"metadata": {"user_id": "user-123"}}]


def test_cirkelline_archive_old_memories(cirkelline):
    _, session = cirkelline
    old = datetime.now(timezone.utc) - timedelta(days=40)
    with session("cirkelline") as c:
        c.sql("insert into ai.agno_memories (memory_id, user_id, memory, topics, created_at) values "
              "(gen_random_uuid(), 'user-123', 'User prefers JSON format in responses', "
              "'[\"communication_style\", \"preferences\"]', %s), "
              "(gen_random_uuid(), 'user-123', 'User is learning Danish', '[\"languages\"]', now()), "
              "(gen_random_uuid(), 'user-456', 'User likes tea', '[\"food\"]', %s)", old, old)
        c.sql("update ai.agno_memories set input = 'I like well-structured JSON responses' "
              "where memory like 'User prefers%%'")
        before = c.sql("select * from ai.agno_memories where memory like 'User prefers%%'")[0]
        assert c.run("archive_old_memories", "user-123") == 1
        archived = c.sql("select * from ai.agno_memories_archive")
        assert len(archived) == 1
        row = archived[0]
        assert (row["original_memory_id"], row["user_id"], row["memory"], row["topics"]) == (
            before["memory_id"], "user-123", "User prefers JSON format in responses",
            ["communication_style", "preferences"])
        assert row["input"] == "I like well-structured JSON responses"
        assert row["created_at"] == before["created_at"] and row["archived_at"] > before["created_at"]
        assert c.sql("select kind, archive_reason from memory.archived_memories") == [
            {"kind": "fact", "archive_reason": "ai.agno_memories_archive"}]
    with session("other") as c:
        assert c.run("archive_old_memories", "user-123") == 0
        assert c.sql("select * from ai.agno_memories_archive") == []
