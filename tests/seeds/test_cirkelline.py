"""cirkelline: an admin profile, sessions, memories archived by an optimization run,
768-d knowledge searched by vector and by hybrid 0.7/0.3 with the user's isolation, a
workflow run with steps."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from .conftest import one

BCRYPT = "$2b$12$" + "b" * 53


def vector(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=768).astype(np.float32)
    return v / np.linalg.norm(v)


def test_cirkelline_flows(owner, client, named):
    register_vector(owner)
    owner.execute("insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline')")
    owner.execute("select knowledge.register_embedding_model('nomic-embed-text', 768, 'cosine', 'vector', 16, 200)")
    with client("cirkelline") as c:
        t = one(c, "select ops.current_tenant_id()")
        ivo = one(c, "insert into core.users (tenant_id, email, password_hash, is_admin, role, context, preferences, "
                     "custom_instructions) values (%s, 'ivo@example.com', %s, true, 'CEO', 'Runs the company', "
                     "'{\"style\": \"brief\"}', 'Answer in Danish') returning id", t, BCRYPT)
        eva = one(c, "insert into core.users (tenant_id, email) values (%s, 'eva@example.com') returning id", t)
        for title, archived in (("Plan Q3", None), ("Hiring", None), ("Old chat", "2026-01-01")):
            c.execute("insert into chat.conversations (tenant_id, user_id, title, archived_at) values (%s, %s, %s, %s)",
                      (t, ivo, title, archived))
        # one row per statement: on Citus an INSERT ... SELECT from no distributed table runs as COPY,
        # which PostgreSQL refuses under row-level security (README, "Scaling out with Citus")
        for g in range(1, 7):
            c.execute("insert into memory.memories (tenant_id, user_id, kind, content, topics, last_accessed_at) "
                      "values (%s, %s, 'preference', %s, array['food'], now() - make_interval(days => %s))",
                      (t, ivo, f"likes {g}", g * 10))
        run = one(c, "insert into work.workflows (tenant_id, name, user_id, status) values "
                     "(%s, 'memory_optimization', %s, 'running') returning id", t, ivo)
        archived = one(c, "select memory.archive_memories(%s, %s, interval '30 days', p_user_id => %s)", t, run, ivo)
        c.execute("update work.workflows set current_step = 'done', steps_completed = '[\"collect\", \"archive\"]', "
                  "output = jsonb_build_object('archived', %s::int), status = 'completed' where id = %s", (archived, run))
        model = one(c, "select id from knowledge.embedding_models where name = 'nomic-embed-text'")
        for user, label, seed in ((ivo, "ivo", 1), (eva, "eva", 2)):
            doc = one(c, "insert into knowledge.documents (tenant_id, name, metadata) values (%s, %s, "
                         "jsonb_build_object('user_id', %s::text, 'document_type', 'pdf')) returning id",
                      t, f"{label}-notes", user)
            for i in range(5):
                c.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                          "embedding_model_id, metadata) values (%s, %s, %s, %s, %s, %s, jsonb_build_object('user_id', "
                          "%s::text))", (t, doc, i, f"{label} budget note {i} about travel costs", vector(seed * 10 + i),
                                         model, user))
        assert archived == 3  # 30, 40, 50, 60 days... last access older than 30 days: 40, 50, 60
        hits = c.execute("select c.content from knowledge.search_chunks_vector(%s, %s, %s, 3, p_metadata => "
                         "jsonb_build_object('user_id', %s::text)) v join knowledge.chunks c on c.id = v.chunk_id "
                         "order by v.rank", (t, model, vector(11), ivo)).fetchall()
        assert hits[0][0] == "ivo budget note 1 about travel costs" and all(h[0].startswith("ivo") for h in hits)
        hybrid = c.execute("select content, found_by from knowledge.hybrid_search(%s, 'travel costs', %s, %s, 4, "
                           "'weighted', p_vector_weight => 0.7, p_keyword_weight => 0.3, p_metadata => "
                           "jsonb_build_object('user_id', %s::text))", (t, vector(22), model, eva)).fetchall()
        assert [h[0] for h in hybrid][0] == "eva budget note 2 about travel costs"
        assert all(h[0].startswith("eva") and h[1] == "both" for h in hybrid)
        assert one(c, "select count(*) from memory.archived_memories where optimization_run_id = %s", run) == 3

    sessions = named("user_sessions", "cirkelline", user="IVO@example.com")
    assert [s["title"] for s in sessions] == ["Hiring", "Plan Q3"]
    assert [r["name"] for r in named("running_workflows", "cirkelline")] == []


def test_memories_keep_input_and_metadata_and_archive_by_creation_or_last_access(owner, client):
    owner.execute("insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline')")
    with client("cirkelline") as c:
        t = one(c, "select ops.current_tenant_id()")
        ivo = one(c, "insert into core.users (tenant_id, email) values (%s, 'ivo@example.com') returning id", t)
        # the document's storage pattern: memory, topics, input; plus a metadata object
        old = one(c, "insert into memory.memories (tenant_id, user_id, kind, content, topics, input, metadata, "
                     "created_at, last_accessed_at) values (%s, %s, 'preference', 'User prefers JSON format in "
                     "responses', array['communication_style', 'preferences'], 'I like well-structured JSON "
                     "responses', '{\"source\": \"chat\"}', now() - interval '40 days', now() - interval '1 day') "
                     "returning id", t, ivo)
        c.execute("insert into memory.memories (tenant_id, user_id, kind, content, created_at) values "
                  "(%s, %s, 'fact', 'Lives in Aarhus', now() - interval '5 days')", (t, ivo))
        with pytest.raises(psycopg.errors.CheckViolation, match="memories_metadata_check"), c.transaction():
            c.execute("insert into memory.memories (tenant_id, user_id, kind, content, metadata) values "
                      "(%s, %s, 'fact', 'x', '[1]')", (t, ivo))
        run = one(c, "insert into work.workflows (tenant_id, name, user_id) values (%s, 'memory_optimization', %s) "
                     "returning id", t, ivo)
        # by last access (the default) the 40-day-old memory read yesterday stays
        assert one(c, "select memory.archive_memories(%s, %s, interval '30 days', p_user_id => %s)", t, run, ivo) == 0
        # cirkelline's archive query: created_at < now() - interval '30 days'
        assert one(c, "select memory.archive_memories(%s, %s, interval '30 days', p_user_id => %s, "
                      "p_by => 'created')", t, run, ivo) == 1
        archived = c.execute("select id, input, metadata, topics, archive_reason from memory.archived_memories"
                             ).fetchall()
        assert archived == [(old, "I like well-structured JSON responses", {"source": "chat"},
                             ["communication_style", "preferences"], "created more than 30 days")]
        assert [r[0] for r in c.execute("select content from memory.memories")] == ["Lives in Aarhus"]
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="last_access or created"), c.transaction():
            c.execute("select memory.archive_memories(%s, %s, p_by => 'updated')", (t, run))


def test_hybrid_search_named_query_takes_cirkellines_weights(owner, client, named):
    register_vector(owner)
    owner.execute("insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline')")
    owner.execute("select knowledge.register_embedding_model('nomic-embed-text', 768, 'cosine', 'vector', 16, 200)")
    query = vector(1)
    with client("cirkelline") as c:
        t = one(c, "select ops.current_tenant_id()")
        model = one(c, "select id from knowledge.embedding_models where name = 'nomic-embed-text'")
        doc = one(c, "insert into knowledge.documents (tenant_id, name) values (%s, 'notes') returning id", t)
        # "near": the query's own vector, few keyword hits; "wordy": every keyword, a distant vector
        c.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                  "embedding_model_id) values (%s, %s, 0, 'a travel note', %s, %s), "
                  "(%s, %s, 1, 'travel costs budget travel costs budget travel costs', %s, %s), "
                  "(%s, %s, 2, 'unrelated words', %s, %s)",
                  (t, doc, query, model, t, doc, vector(2), model, t, doc, vector(3), model))
    embedding = "[" + ",".join(str(float(x)) for x in query) + "]"

    def ranked(**weights):
        rows = named("hybrid_search", "cirkelline", query="travel costs budget", embedding=embedding,
                     model="nomic-embed-text", k=3, **weights)
        return [(r["content"], round(float(r["score"]), 6)) for r in rows]

    cirkelline = ranked(vector_weight=0.7, keyword_weight=0.3)
    assert cirkelline[0] == ("a travel note", 0.7 + 0.3 * dict(ranked(vector_weight=0, keyword_weight=1))[
        "a travel note"])
    keyword_heavy = ranked(vector_weight=0.3, keyword_weight=0.7)
    assert keyword_heavy[0][0] == "travel costs budget travel costs budget travel costs"
    assert ranked() != cirkelline  # 0.5/0.5 when not given
