"""RAG in the database: the legs, fusion, filters under iterative scans, per-model
indexes, memory retrieval and archiving, message and document search."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
from pgvector.psycopg import register_vector

from .sample import PERSONAL, agent, append, one


@pytest.fixture
def rag(db_conn):
    register_vector(db_conn)
    return db_conn


def model(conn, name="toy3", dims=3, distance="cosine", storage="vector"):
    """Register a model, committed (an operator's step of its own; on Citus the function runs as
    the owner, which may not touch rows this connection's user changes in the same transaction)."""
    model_id = one(conn, "select knowledge.register_embedding_model(%s, %s, %s, %s)", (name, dims, distance, storage))
    conn.commit()
    return model_id


def document(conn, name="doc", agent_id=None):
    return one(conn, "insert into knowledge.documents (tenant_id, name, agent_id) values (%s, %s, %s) returning id",
               (PERSONAL, name, agent_id))


def chunk(conn, doc, index, content, embedding=None, model_id=None, **extra):
    cols = ["tenant_id", "document_id", "chunk_index", "content", "embedding", "embedding_model_id", *extra]
    vals = [PERSONAL, doc, index, content, None if embedding is None else np.array(embedding, dtype=np.float32),
            model_id, *extra.values()]
    return one(conn, f"insert into knowledge.chunks ({', '.join(cols)}) values ({', '.join(['%s'] * len(vals))}) "
                     "returning id", vals)


@pytest.fixture
def corpus(rag):
    """Four chunks whose vector order and keyword order differ on purpose."""
    m = model(rag)
    d = document(rag)
    ids = {
        "a": chunk(rag, d, 0, "postgres tuning guide", [1, 0, 0], m),
        "b": chunk(rag, d, 1, "oauth refresh token rotation", [0.9, 0.1, 0], m),
        "c": chunk(rag, d, 2, "oauth token oauth token storage", [0, 1, 0], m),
        "d": chunk(rag, d, 3, "gardening notes", [0, 0, 1], m),
    }
    return rag, m, ids


def copy_chunks(conn, rows):
    """Binary COPY of (document, chunk index, content, embedding, model) rows into the personal
    tenant, then ANALYZE, committed (on Citus ANALYZE runs on the shards in parallel: later
    reads go in a new transaction)."""
    with conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                            "embedding_model_id) from stdin with (format binary)") as copy:
        copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4"])
        for row in rows:
            copy.write_row((PERSONAL, *row))
    conn.execute("analyze knowledge.chunks")
    conn.commit()


def ids_of(rows):
    return [r[0] for r in rows]


def test_vector_leg_orders_by_distance(corpus):
    conn, m, ids = corpus
    rows = conn.execute("select chunk_id, rank, similarity from knowledge.search_chunks_vector(%s, %s, %s, 3)",
                        (PERSONAL, m, np.array([1, 0, 0], dtype=np.float32))).fetchall()
    assert ids_of(rows) == [ids["a"], ids["b"], ids["c"]]
    assert [r[1] for r in rows] == [1, 2, 3] and rows[0][2] == pytest.approx(1.0)


def test_keyword_leg_orders_by_text_rank(corpus):
    conn, _, ids = corpus
    rows = conn.execute("select chunk_id from knowledge.search_chunks_keyword(%s, 'oauth token', 10)",
                        (PERSONAL,)).fetchall()
    assert ids_of(rows) == [ids["c"], ids["b"]]


@pytest.mark.parametrize("query, expected", [
    ("oauth rotation", ["b"]),  # every word must match
    ("oauth nowhere", []),  # a word no chunk holds matches nothing
    ("gardening or tuning", ["a", "d"]),  # either word
    ("oauth -rotation", ["c"]),  # but not this one
    ('"refresh token"', ["b"]),  # a phrase
    ('"token refresh"', []),  # both words, not as a phrase
    ("gardening or oauth -rotation", ["c", "d"]),
])
def test_keyword_leg_keeps_websearch_semantics(corpus, query, expected):
    conn, _, ids = corpus
    rows = conn.execute("select chunk_id from knowledge.search_chunks_keyword(%s, %s, 10)", (PERSONAL, query))
    assert sorted(ids_of(rows)) == sorted(ids[name] for name in expected)


def test_rrf_fuses_both_legs_and_says_who_found_what(corpus):
    conn, m, ids = corpus
    rows = conn.execute(
        "select chunk_id, vector_rank, keyword_rank, found_by, score from knowledge.hybrid_search("
        "%s, 'oauth token', %s, %s, 4, 'rrf')", (PERSONAL, np.array([1, 0, 0], dtype=np.float32), m)).fetchall()
    by_id = {r[0]: r for r in rows}
    # b is 2nd by vector and 2nd by keyword: 1/62 + 1/62 beats a (1/61) and c (1/63 + 1/61)? c = 3rd vector, 1st keyword
    assert by_id[ids["b"]][1:4] == (2, 2, "both")
    assert by_id[ids["c"]][1:4] == (3, 1, "both")
    assert by_id[ids["a"]][1:4] == (1, None, "vector")
    expected = sorted(
        [(1 / 62 + 1 / 62, ids["b"]), (1 / 63 + 1 / 61, ids["c"]), (1 / 61, ids["a"]), (1 / 64, ids["d"])],
        key=lambda x: -x[0])
    assert ids_of(rows) == [i for _, i in expected]
    assert [r[4] for r in rows] == pytest.approx([s for s, _ in expected])


def test_weighted_mode_blends_min_max_normalised_scores(corpus):
    conn, m, ids = corpus
    query = np.array([1, 0, 0], dtype=np.float32)
    rows = conn.execute("select chunk_id, score, vector_similarity, keyword_score from knowledge.hybrid_search("
                        "%s, 'oauth token', %s, %s, 4, 'weighted', p_vector_weight => 0.7, p_keyword_weight => 0.3)",
                        (PERSONAL, query, m)).fetchall()

    def normalise(values):
        present = [v for v in values if v is not None]
        low, high = min(present), max(present)
        return [None if v is None else (1.0 if high == low else (v - low) / (high - low)) for v in values]

    vector = normalise([r[2] for r in rows])
    keyword = normalise([r[3] for r in rows])
    for (_, score, _, _), v, k in zip(rows, vector, keyword):
        assert score == pytest.approx(0.7 * (v or 0) + 0.3 * (k or 0))
    assert rows[0][0] == ids["a"]  # nearest by vector; 0.7 of the blend
    custom = conn.execute("select chunk_id from knowledge.hybrid_search(%s, 'oauth token', %s, %s, 1, 'weighted', "
                          "p_vector_weight => 0, p_keyword_weight => 1)", (PERSONAL, query, m)).fetchall()
    assert ids_of(custom) == [ids["c"]]


def test_keyword_only_without_an_embedding(corpus):
    conn, _, ids = corpus
    rows = conn.execute("select chunk_id, found_by from knowledge.hybrid_search(%s, 'oauth token')",
                        (PERSONAL,)).fetchall()
    assert rows == [(ids["c"], "keyword"), (ids["b"], "keyword")]


def test_full_k_under_a_one_percent_filter(rag):
    m = model(rag, "toy16", 16)
    rare = agent(rag, PERSONAL, "rare")
    common = document(rag, "common")
    special = document(rag, "special", agent_id=rare)
    rng = np.random.default_rng(7)
    with rag.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                           "embedding_model_id, agent_id) from stdin with (format binary)") as copy:
        copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4", "uuid"])
        for i in range(5000):
            is_rare = i % 100 == 0  # 50 rows: 1 %
            copy.write_row((PERSONAL, special if is_rare else common, i, f"chunk {i}",
                            rng.normal(size=16).astype(np.float32), m, rare if is_rare else None))
    rag.execute("analyze knowledge.chunks")
    rag.commit()  # on Citus ANALYZE runs on the shards in parallel: later reads go in a new transaction
    query = rng.normal(size=16).astype(np.float32)
    rows = rag.execute("select chunk_id from knowledge.search_chunks_vector(%s, %s, %s, 10, p_agent_id => %s)",
                       (PERSONAL, m, query, rare)).fetchall()
    exact = rag.execute("select id from knowledge.chunks where agent_id = %s "
                        "order by embedding::vector(16) <=> %s::vector(16) limit 10", (rare, query)).fetchall()
    assert len(rows) == 10
    assert len(set(ids_of(rows)) & set(ids_of(exact))) >= 9
    by_metadata = rag.execute("select count(*) from knowledge.hybrid_search(%s, null, %s, %s, 10, "
                              "p_document_ids => %s)", (PERSONAL, query, m, [special])).fetchone()[0]
    assert by_metadata == 10


def test_two_models_of_different_sizes_each_use_their_own_index(rag):
    small, large = model(rag, "small", 3), model(rag, "large", 5, storage="halfvec")
    d = document(rag)
    rng = np.random.default_rng(3)
    copy_chunks(rag, (row for i in range(3000)
                      for row in ((d, i, f"s{i}", rng.normal(size=3).astype(np.float32), small),
                                  (d, 10000 + i, f"l{i}", rng.normal(size=5).astype(np.float32), large))))
    for model_id, dims, index in ((small, 3, f"chunks_embedding_m{small}_idx"),
                                  (large, 5, f"chunks_embedding_m{large}_idx")):
        distance = one(rag, "select knowledge.embedding_distance(%s, 'embedding', '$1')", (model_id,))
        plan = "\n".join(r[0] for r in rag.execute(
            f"explain select id from knowledge.chunks where embedding_model_id = {model_id} "
            f"and tenant_id = '{PERSONAL}' order by {distance.replace('$1', repr(str([0.1] * dims)))} limit 5"))
        assert f"Index Scan using {index}" in plan
        # an EXPLAIN ends its transaction: on Citus it turns local execution off for the rest
        # of the transaction, and a later read of a reference table sent to the coordinator
        # over a connection then fails after the local one before it ("cannot switch local
        # execution status ...", once in CI)
        rag.commit()
        got = rag.execute("select count(*) from knowledge.search_chunks_vector(%s, %s, %s, 5)",
                          (PERSONAL, model_id, np.ones(dims, dtype=np.float32))).fetchone()[0]
        assert got == 5
    with pytest.raises(psycopg.errors.DataException, match="expected 3 dimensions"), rag.transaction():
        chunk(rag, d, 5000, "wrong size", [1, 2, 3, 4], small)
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="has 4 dimensions"), rag.transaction():
        rag.execute("select * from knowledge.search_chunks_vector(%s, %s, %s)",
                    (PERSONAL, small, np.ones(4, dtype=np.float32)))


def _memory(conn, agent_id, content, embedding, model_id, importance=5.0, emotion=0.0, hours_ago=0.0):
    return one(conn, "insert into memory.memories (tenant_id, agent_id, kind, content, importance, "
                     "emotional_relevance, embedding, embedding_model_id, last_accessed_at, created_at) values "
                     "(%s, %s, 'observation', %s, %s, %s, %s, %s, now() - make_interval(secs => %s * 3600), "
                     "now() - make_interval(secs => %s * 3600)) returning id",
               (PERSONAL, agent_id, content, importance, emotion, np.array(embedding, dtype=np.float32), model_id,
                hours_ago, hours_ago))


def test_retrieval_weights_change_the_order(rag):
    m = model(rag)
    elara = agent(rag, PERSONAL, "elara_blacksmith")
    relevant = _memory(rag, elara, "the forge fire went out", [1, 0, 0], m, importance=2, hours_ago=100)
    important = _memory(rag, elara, "my father died", [0, 1, 0], m, importance=10, hours_ago=100)
    recent = _memory(rag, elara, "ate bread", [0, 0, 1], m, importance=1, hours_ago=0)
    emotional = _memory(rag, elara, "sarah smiled at me", [0.5, 0.5, 0.5], m, importance=3, emotion=1.0,
                        hours_ago=50)
    query = np.array([1, 0, 0], dtype=np.float32)

    def top(**weights):
        args = ", ".join(f"p_{k} => {v}" for k, v in weights.items())
        return one(rag, f"select memory_id from memory.retrieve_memories(%s, %s, %s, %s, 1, p_touch => false, {args})",
                   (PERSONAL, elara, query, m))

    assert top(recency_weight=0, importance_weight=0, relevance_weight=1) == relevant
    assert top(recency_weight=0, importance_weight=1, relevance_weight=0) == important
    assert top(recency_weight=1, importance_weight=0, relevance_weight=0) == recent
    assert top(recency_weight=0, importance_weight=0, relevance_weight=0, emotion_weight=1) == emotional


def test_retrieval_touches_what_it_returns(rag):
    m = model(rag)
    elara = agent(rag, PERSONAL, "elara")
    old = _memory(rag, elara, "old", [1, 0, 0], m, hours_ago=48)
    other = _memory(rag, elara, "other", [0, 1, 0], m, hours_ago=48)
    rows = rag.execute("select memory_id, recency, score from memory.retrieve_memories(%s, %s, %s, %s, 1, "
                       "p_recency_weight => 0)", (PERSONAL, elara, np.array([1, 0, 0], dtype=np.float32), m)).fetchall()
    assert ids_of(rows) == [old]
    touched = dict(rag.execute("select id, (now() - last_accessed_at < interval '1 minute', access_count) "
                               "from memory.memories").fetchall())
    assert touched[old] == ("t", "1") and touched[other] == ("f", "0")
    without = rag.execute("select count(*) from memory.retrieve_memories(%s, %s, p_k => 5)", (PERSONAL, elara))
    assert without.fetchone()[0] == 2


def test_archive_keeps_every_archived_row_with_its_run(rag):
    user = one(rag, "insert into core.users (tenant_id, email) values (%s, 'u@example.com') returning id", (PERSONAL,))
    rag.execute("insert into memory.memories (tenant_id, user_id, kind, content, importance, last_accessed_at) "
                "select %s, %s, 'fact', 'fact ' || g, g %% 10, now() - make_interval(days => g) "
                "from generate_series(1, 60) g", (PERSONAL, user))
    run = one(rag, "insert into work.workflows (tenant_id, name) values (%s, 'memory_optimization') returning id",
              (PERSONAL,))
    before = {r[0] for r in rag.execute("select id from memory.memories")}
    moved = one(rag, "select memory.archive_memories(%s, %s, interval '30 days', p_user_id => %s)",
                (PERSONAL, run, user))
    assert moved == 30  # days 31..60 (last access older than 30 days)
    remaining = {r[0] for r in rag.execute("select id from memory.memories")}
    archived = {r[0] for r in rag.execute("select id from memory.archived_memories where optimization_run_id = %s",
                                          (run,))}
    assert remaining | archived == before and not remaining & archived
    assert one(rag, "select min(archived_at) is not null and bool_and(archive_reason like 'not accessed for%%') "
                    "from memory.archived_memories") is True


def test_search_messages_with_identity_filters(rag):
    m = model(rag)
    coder = agent(rag, PERSONAL, "coder")
    project = one(rag, "select core.ensure_project(%s, 'git@github.com:mgreenly/ikigai.git')", (PERSONAL,))
    other = one(rag, "select core.ensure_project(%s, null, null, 'other')", (PERSONAL,))
    for content, vec, project_id, machine in [("oauth tokens are hashed", [1, 0, 0], project, "laptop"),
                                              ("oauth scopes decided", [0.9, 0.1, 0], other, "laptop"),
                                              ("database pool", [0, 1, 0], project, "workstation")]:
        rag.execute("insert into chat.messages (tenant_id, agent_id, role, content, project_id, machine, embedding, "
                    "embedding_model_id) values (%s, %s, 'user', %s, %s, %s, %s, %s)",
                    (PERSONAL, coder, content, project_id, machine, np.array(vec, dtype=np.float32), m))
    rows = rag.execute("select content, found_by from chat.search_messages(%s, 'oauth', %s, %s, 5, 'ikigai')",
                       (PERSONAL, np.array([1, 0, 0], dtype=np.float32), m)).fetchall()
    assert rows[0] == ("oauth tokens are hashed", "both") and len(rows) == 2
    by_machine = rag.execute("select content from chat.search_messages(%s, null, %s, %s, 5, "
                             "p_machine => 'workstation')", (PERSONAL, np.array([1, 0, 0], dtype=np.float32), m))
    assert by_machine.fetchall() == [("database pool",)]
    keyword = rag.execute("select content from chat.search_messages(%s, 'oauth', p_project => 'other')",
                          (PERSONAL,)).fetchall()
    assert keyword == [("oauth scopes decided",)]
    assert rag.execute("select * from chat.search_messages(%s, 'oauth', p_project => 'nope')",
                       (PERSONAL,)).fetchall() == []


def test_search_documents_in_a_project_includes_cross_project(rag):
    project = one(rag, "select core.ensure_project(%s, null, null, 'ikigai')", (PERSONAL,))
    other = one(rag, "select core.ensure_project(%s, null, null, 'other')", (PERSONAL,))
    for title, project_id in [("OAuth patterns", None), ("OAuth in ikigai", project), ("OAuth elsewhere", other)]:
        rag.execute("insert into memory.documents (tenant_id, title, content, project_id) values (%s, %s, 'text', %s)",
                    (PERSONAL, title, project_id))
    rows = rag.execute("select title from memory.search_documents(%s, 'oauth', p_project => 'ikigai')",
                       (PERSONAL,)).fetchall()
    assert sorted(r[0] for r in rows) == ["OAuth in ikigai", "OAuth patterns"]
    assert len(rag.execute("select * from memory.search_documents(%s, 'oauth')", (PERSONAL,)).fetchall()) == 3


def test_registering_a_model_creates_its_indexes_everywhere(rag):
    m = model(rag, "fresh", 8, "inner_product", "halfvec")
    names = {r[0] for r in rag.execute(
        "select c.relname from pg_class c join pg_index i on i.indexrelid = c.oid "
        "where c.relname like %s and not c.relispartition", (f"%_embedding_m{m}_idx",))}
    assert names == {f"messages_embedding_m{m}_idx", f"chunks_embedding_m{m}_idx", f"memories_embedding_m{m}_idx",
                     f"documents_embedding_m{m}_idx"}
    assert model(rag, "fresh", 8, "inner_product", "halfvec") == m
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="registered with 8 dimensions"):
        model(rag, "fresh", 9, "inner_product")


def test_a_tenants_own_hnsw_index_serves_its_searches_only(corpus):
    """knowledge.tenant_embedding_index_ddl: a partial HNSW index over one tenant's chunks;
    the vector leg writes the tenant as a literal so the planner can choose it, and its
    rows stay the tenant's own."""
    conn, m, ids = corpus
    other = one(conn, "insert into core.tenants (slug, name) values ('other', 'Other') returning id")
    other_doc = one(conn, "insert into knowledge.documents (tenant_id, name) values (%s, 'theirs') returning id",
                    (other,))
    theirs = one(conn, "insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                       "embedding_model_id) values (%s, %s, 0, 'their postgres notes', %s, %s) returning id",
                 (other, other_doc, np.array([1, 0, 0], dtype=np.float32), m))
    ddl = one(conn, "select knowledge.tenant_embedding_index_ddl(%s, %s)", (m, PERSONAL))
    name = one(conn, "select knowledge.tenant_embedding_index_name(%s, %s)", (m, PERSONAL))
    assert f"tenant_id = '{PERSONAL}'::uuid" in ddl and name in ddl and len(name) < 64
    conn.execute(ddl)
    query = np.array([1, 0, 0], dtype=np.float32)
    rows = conn.execute("select chunk_id from knowledge.search_chunks_vector(%s, %s, %s, 3)", (PERSONAL, m, query))
    assert ids_of(rows.fetchall()) == [ids["a"], ids["b"], ids["c"]]
    rows = conn.execute("select chunk_id from knowledge.search_chunks_vector(%s, %s, %s, 3)", (other, m, query))
    assert ids_of(rows.fetchall()) == [theirs]
    conn.execute("set local enable_seqscan = off")
    plan = "\n".join(r[0] for r in conn.execute(
        f"explain select id from knowledge.chunks as t where t.embedding_model_id = {m} and t.tenant_id = '{PERSONAL}' "
        "order by (t.embedding)::public.vector(3) operator(public.<=>) %s::public.vector(3) limit 3", (query,)))
    # the tenant's own index (on a Citus shard its name carries the shard id, shortened to fit)
    assert name in plan or f"chunks_embedding_m{m}_t" in plan


def test_the_unfiltered_vector_leg_reuses_a_prepared_plan_with_the_same_rows(rag):
    """The unfiltered leg runs a prepared statement of the session (per model, tenant and k):
    past the plan cache's five custom plans its generic plan serves, and every call returns
    what the per-call planned statement (the filtered path, here with a filter every chunk
    passes) returns; a pooler's DEALLOCATE ALL only makes the next call prepare it again;
    the session keeps at most 100 of them."""
    m = model(rag, "prepared16", 16)
    d = document(rag)
    rng = np.random.default_rng(11)
    copy_chunks(rag, ((d, i, f"chunk {i}", rng.normal(size=16).astype(np.float32), m) for i in range(2000)))
    leg = "select chunk_id, rank, distance, similarity from knowledge.search_chunks_vector(%s, %s, %s, 10{})"
    for i in range(10):
        query = rng.normal(size=16).astype(np.float32)
        got = rag.execute(leg.format(""), (PERSONAL, m, query)).fetchall()
        planned = rag.execute(leg.format(", p_since => '-infinity'"), (PERSONAL, m, query)).fetchall()
        assert got == planned and len(got) == 10 and [r[1] for r in got] == list(range(1, 11))
        if i == 2:
            rag.execute("deallocate all")
    name = f"agentdb_nn_m{m}_k10_t{str(PERSONAL).replace('-', '')}"
    generic = one(rag, "select generic_plans from pg_prepared_statements where name = %s", (name,))
    # on a Citus cluster `agentdb distribute` gives the delegated functions custom plans
    # (Citus 14.0.1 leaks a local plan per generic execution on workers: docs/decisions.md)
    forced = one(rag, "select bool_or('plan_cache_mode=force_custom_plan' = any(proconfig)) from pg_proc "
                      "where oid = 'knowledge.search_chunks_vector'::regproc")
    assert generic >= 1 or forced
    for k in range(1, 106):
        rag.execute("select count(*) from knowledge.search_chunks_vector(%s, %s, %s, %s)", (PERSONAL, m, query, k))
    assert one(rag, "select count(*) from pg_prepared_statements where name like 'agentdb\\_nn\\_%%'") <= 100


def test_a_statement_prepared_under_the_legs_name_by_someone_else_is_never_run(rag):
    """A client earlier on the same (pooled) session prepares its own statement under the name
    the unfiltered vector leg uses for a tenant: one that writes, and returns made-up rows.
    The leg runs only a statement whose text is its own: the rows are the true ones and the
    write never happens."""
    m = model(rag, "hostile16", 16)
    d = document(rag)
    rng = np.random.default_rng(5)
    copy_chunks(rag, ((d, i, f"chunk {i}", rng.normal(size=16).astype(np.float32), m) for i in range(200)))
    query = rng.normal(size=16).astype(np.float32)
    leg = "select chunk_id from knowledge.search_chunks_vector(%s, %s, %s, 10{})"
    truth = rag.execute(leg.format(", p_since => '-infinity'"), (PERSONAL, m, query)).fetchall()
    name = f"agentdb_nn_m{m}_k10_t{str(PERSONAL).replace('-', '')}"
    before = one(rag, "select count(*) from knowledge.documents")
    rag.execute(f"prepare {name} (vector(16)) as with w as (insert into knowledge.documents (tenant_id, name) "
                f"values ('{PERSONAL}', 'planted') returning id) select array_agg(w.id), array_agg(w.id), "
                "array[0::float8], array[1::float8] from w")
    assert rag.execute(leg.format(""), (PERSONAL, m, query)).fetchall() == truth
    assert one(rag, "select count(*) from knowledge.documents") == before
    assert one(rag, "select count(*) from knowledge.documents where name = 'planted'") == 0
    # and the leg's own statement now stands under the name
    assert "insert" not in one(rag, "select statement from pg_prepared_statements where name = %s", (name,))
