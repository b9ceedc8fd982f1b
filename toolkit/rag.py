"""Search and ingest from the shell: the SQL API does the work; this module embeds
text, loads documents with binary COPY and calls the search functions."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import psycopg
from pgvector.psycopg import register_vector

from .chunking import chunk_text
from .embedders import Embedder
from .errors import UsageError

INGESTIBLE = {".md", ".markdown", ".txt", ".rst", ".text", ".adoc", ".org"}
SCOPES = ("chunks", "memories", "messages", "documents")


def model_id(conn: psycopg.Connection, embedder: Embedder) -> int:
    """The registered model of the embedder, registering it on first use."""
    row = conn.execute("select id from knowledge.embedding_models where name = %s", (embedder.name,)).fetchone()
    if row:
        return row[0]
    return conn.execute("select knowledge.register_embedding_model(%s, %s, 'cosine', 'vector', p_provider => %s)",
                        (embedder.name, embedder.dimensions, embedder.provider)).fetchone()[0]


def tenant_id(conn: psycopg.Connection, tenant: str):
    """Set the transaction's tenant (row-level security) and return its id."""
    from .db import set_tenant

    return set_tenant(conn, tenant)


def files(paths: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"{given}: no such file or directory")
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in INGESTIBLE)
        elif path.suffix.lower() in INGESTIBLE:
            found.append(path)
        else:
            raise UsageError(f"{given}: not a text file agentdb can ingest ({', '.join(sorted(INGESTIBLE))})")
    return [p.resolve() for p in found]


@dataclass
class IngestResult:
    path: str
    status: str  # unchanged | loaded | replaced
    chunks: int


def ingest_file(conn: psycopg.Connection, tenant, path: Path, embedder: Embedder | None, model: int | None,
                agent_id=None, max_chars: int = 1200) -> IngestResult:
    """Load one file: skipped when its sha256 is unchanged; otherwise the document row is
    upserted and its chunks replaced in one transaction (binary COPY)."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    existing = conn.execute(
        "select d.sha256, coalesce(bool_and(c.embedding_model_id is not distinct from %s), true) "
        "from knowledge.documents d left join knowledge.chunks c on c.tenant_id = d.tenant_id and c.document_id = d.id "
        "where d.tenant_id = %s and d.path = %s group by d.sha256", (model, tenant, str(path))).fetchone()
    if existing and existing[0] == digest and (model is None or existing[1]):
        return IngestResult(str(path), "unchanged", 0)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: not UTF-8 text") from exc
    passages = chunk_text(text, max_chars)
    vectors = embedder.embed([p.text for p in passages]) if (embedder and passages) else [None] * len(passages)
    with conn.transaction():
        document = conn.execute(
            """
            insert into knowledge.documents (tenant_id, name, file_name, path, content_type, source, agent_id,
                                             sha256, chunk_count)
            values (%s, %s, %s, %s, %s, 'ingest', %s, %s, %s)
            on conflict (tenant_id, path) do update
               set name = excluded.name, sha256 = excluded.sha256, chunk_count = excluded.chunk_count,
                   content_type = excluded.content_type, agent_id = excluded.agent_id, archived_at = null
            returning id
            """,
            (tenant, path.stem, path.name, str(path), mimetypes.guess_type(path.name)[0] or "text/plain",
             agent_id, digest, len(passages)),
        ).fetchone()[0]
        conn.execute("delete from knowledge.chunks where tenant_id = %s and document_id = %s", (tenant, document))
        # regconfig travels in binary COPY as its oid (the same four bytes on the wire)
        language = conn.execute("select text_search_config::oid from core.tenants where id = %s",
                                (tenant,)).fetchone()[0]
        columns = "tenant_id, document_id, chunk_index, content, embedding, embedding_model_id, agent_id, metadata, text_config"
        rows = [(tenant, document, index, passage.text, vector, model if vector else None, agent_id,
                 psycopg.types.json.Jsonb({"headings": list(passage.headings)}), language)
                for index, (passage, vector) in enumerate(zip(passages, vectors))]
        if _distributed(conn):
            # Citus refuses COPY into a shard under row-level security: one INSERT per chunk
            # (pipelined), each routed to the tenant's shard
            conn.cursor().executemany(f"insert into knowledge.chunks ({columns}) values "
                                      "(%s, %s, %s, %s, %s, %s, %s, %s, %s::oid::regconfig)", rows)
        else:
            copy_sql = f"copy knowledge.chunks ({columns}) from stdin with (format binary)"
            with conn.cursor().copy(copy_sql) as copy:
                copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4", "uuid", "jsonb", "oid"])
                for row in rows:
                    copy.write_row(row)
    return IngestResult(str(path), "replaced" if existing else "loaded", len(passages))


def _distributed(conn: psycopg.Connection) -> bool:
    """Whether knowledge.chunks is a Citus table here."""
    if not conn.execute("select to_regclass('pg_catalog.pg_dist_partition') is not null").fetchone()[0]:
        return False
    return conn.execute("select exists (select 1 from pg_catalog.pg_dist_partition "
                        "where logicalrelid = 'knowledge.chunks'::regclass)").fetchone()[0]


def ingest(conn: psycopg.Connection, tenant: str, paths: list[Path], embedder: Embedder | None,
           agent_id=None, on_file: Callable[[IngestResult], None] | None = None,
           defer_keyword_index: bool = False) -> list[IngestResult]:
    """Load each file in its own transaction. With defer_keyword_index the files' chunks
    wait in knowledge.bm25_pending and are keyword-indexed in one pass at the end."""
    register_vector(conn)
    model = model_id(conn, embedder) if embedder else None
    conn.commit()
    results = []
    for path in paths:
        with conn.transaction():  # one file, one transaction, under the tenant's row-level security
            tenant_uuid = tenant_id(conn, tenant)
            if defer_keyword_index:
                conn.execute("select set_config('agentdb.defer_keyword_index', 'on', true)")
            result = ingest_file(conn, tenant_uuid, path, embedder, model, agent_id)
        results.append(result)
        if on_file:
            on_file(result)
    if defer_keyword_index:
        with conn.transaction():
            tenant_id(conn, tenant)
            conn.execute("select knowledge.index_pending_chunks()")
    return results


@dataclass
class SearchRequest:
    text: str
    scope: str = "chunks"
    k: int = 10
    mode: str = "weighted"
    agent: str | None = None
    project: str | None = None
    tags: list[str] | None = None
    machine: str | None = None
    user_name: str | None = None
    path: str | None = None
    since: str | None = None
    until: str | None = None


def _agent(conn, tenant, agent: str | None):
    if agent is None:
        return None
    row = conn.execute("select id from agents.agents where tenant_id = %s and (slug = %s or name = %s or id::text = %s) "
                       "order by slug = %s desc limit 1", (tenant, agent, agent, agent, agent)).fetchone()
    if not row:
        raise UsageError(f"no agent {agent!r} in this tenant")
    return row[0]


def search(conn: psycopg.Connection, tenant: str, request: SearchRequest,
           embedder: Embedder | None) -> tuple[list[str], list[dict]]:
    if request.scope not in SCOPES:
        raise UsageError(f"scope must be one of {', '.join(SCOPES)}")
    register_vector(conn)
    tenant_uuid = tenant_id(conn, tenant)
    agent_id = _agent(conn, tenant_uuid, request.agent)
    vector = embedder.embed([request.text])[0] if embedder else None
    model = model_id(conn, embedder) if embedder else None
    import numpy as np  # pgvector adapts numpy arrays; lists would be sent as arrays

    query = np.array(vector, dtype=np.float32) if vector is not None else None
    if request.scope == "chunks":
        sql_text = ("select c.score, c.found_by, c.vector_rank, c.keyword_rank, d.name as document, c.content "
                    "from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, %(mode)s, p_agent_id => %(a)s, "
                    "p_since => %(since)s, p_until => %(until)s) c "
                    "join knowledge.documents d on d.tenant_id = %(t)s and d.id = c.document_id")
    elif request.scope == "messages":
        sql_text = ("select score, found_by, created_at, role, tags, content from chat.search_messages(%(t)s, %(q)s, "
                    "%(v)s, %(m)s, %(k)s, %(project)s, %(a)s, %(tags)s, %(machine)s, %(user_name)s, %(path)s, "
                    "%(since)s, %(until)s, %(mode)s)")
    elif request.scope == "documents":
        sql_text = ("select score, found_by, reference, title from memory.search_documents(%(t)s, %(q)s, %(v)s, "
                    "%(m)s, %(k)s, %(project)s, %(tags)s, %(mode)s)")
    else:
        if agent_id is None:
            raise UsageError("--scope memories needs --agent")
        sql_text = ("select score, kind, importance, recency, relevance, content from memory.retrieve_memories("
                    "%(t)s, %(a)s, %(v)s, %(m)s, %(k)s)")
    params = {"t": tenant_uuid, "q": request.text, "v": query, "m": model, "k": request.k, "mode": request.mode,
              "a": agent_id, "project": request.project, "tags": request.tags, "machine": request.machine,
              "user_name": request.user_name, "path": request.path, "since": request.since, "until": request.until}
    cursor = conn.execute(sql_text, params)
    columns = [c.name for c in cursor.description]
    rows = [dict(zip(columns, r)) for r in cursor.fetchall()]
    conn.commit()
    return columns, rows
