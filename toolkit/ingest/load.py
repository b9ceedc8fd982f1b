"""Load files into knowledge documents and chunks, one file per transaction under the
tenant's row-level security: read, chunk, embed, then binary COPY. COPY cannot write a
table whose row-level security applies to the caller (the app role), so for such a
caller the chunks are copied into a temporary staging table (dropped at commit) and
moved by one `insert ... select`, which the policies check like any insert (on a Citus
cluster, where that would be a COPY into the shards, by multi-row inserts)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import psycopg
from psycopg.types.json import Jsonb
from pgvector.psycopg import register_vector

from .. import citus_distribute
from ..chunking import MAX_TOKENS, OVERLAP, chunk_document
from ..embedders import Embedder
from ..rag import model_id, tenant_id
from ..tokens import default_counter
from .readers import CONTENT_TYPES, Unreadable, display, format_of, raw_bytes, read

COLUMNS = ("tenant_id", "document_id", "chunk_index", "content", "embedding", "embedding_model_id", "agent_id",
           "metadata", "text_config", "token_count")
TYPES = ["uuid", "uuid", "int4", "text", "vector", "int4", "uuid", "jsonb", "oid", "int4"]


@dataclass
class IngestResult:
    path: str
    status: str  # loaded | replaced | unchanged | skipped
    chunks: int
    reason: str | None = None


@dataclass(frozen=True)
class Chunking:
    max_tokens: int = MAX_TOKENS
    overlap: int = OVERLAP

    def signature(self) -> dict:
        """Stored with the document: a file loaded with other settings is loaded again."""
        return {"max_tokens": self.max_tokens, "overlap": self.overlap, "tokens": default_counter().name}


def _insert_chunks(conn: psycopg.Connection, rows: list[tuple], batch: int = 200) -> None:
    """Multi-row INSERT ... VALUES, which the policies check row by row: for a caller under
    row-level security on Citus, which runs an INSERT ... SELECT from a local table as COPY
    into the shards (refused there under row-level security like any COPY)."""
    values = "(" + ", ".join(f"%s::{kind}" for kind in TYPES) + ")"
    for start in range(0, len(rows), batch):
        part = rows[start:start + batch]
        conn.execute(f"insert into knowledge.chunks ({', '.join(COLUMNS)}) values {', '.join([values] * len(part))}",
                     [value for row in part for value in row])


def _copy_chunks(conn: psycopg.Connection, rows: list[tuple]) -> None:
    columns = ", ".join(COLUMNS)
    staged = conn.execute("select row_security_active('knowledge.chunks'::regclass)").fetchone()[0]
    if staged and citus_distribute.is_distributed(conn):
        _insert_chunks(conn, rows)
        return
    target = "knowledge.chunks"
    if staged:
        target = "pg_temp.agentdb_ingest_chunks"
        conn.execute(f"create temporary table agentdb_ingest_chunks on commit drop as "
                     f"select {columns} from knowledge.chunks with no data")
    with conn.cursor().copy(f"copy {target} ({columns}) from stdin with (format binary)") as copy:
        # regconfig travels in binary COPY as its oid (the same four bytes on the wire)
        copy.set_types(TYPES)
        for row in rows:
            copy.write_row(row)
    if staged:
        conn.execute(f"insert into knowledge.chunks ({columns}) select {columns} from pg_temp.agentdb_ingest_chunks")
        conn.execute("drop table pg_temp.agentdb_ingest_chunks")


def ingest_file(conn: psycopg.Connection, tenant, path: Path, embedder: Embedder | None, model: int | None,
                agent_id=None, chunking: Chunking = Chunking()) -> IngestResult:
    """Load one file: unchanged when its sha256 and chunking are; otherwise the document
    row is upserted and its chunks replaced (the caller holds the transaction)."""
    shown = display(path)
    try:
        raw = raw_bytes(path)
    except OSError as exc:
        return IngestResult(shown, "skipped", 0, f"cannot read: {exc.strerror or exc}")
    except Unreadable as exc:
        return IngestResult(shown, "skipped", 0, str(exc))
    digest = hashlib.sha256(raw).hexdigest()
    signature = chunking.signature()
    existing = conn.execute(
        "select d.sha256, d.metadata -> 'chunking' = %s, "
        "coalesce(bool_and(c.embedding_model_id is not distinct from %s), true) "
        "from knowledge.documents d left join knowledge.chunks c on c.tenant_id = d.tenant_id and c.document_id = d.id "
        "where d.tenant_id = %s and d.path = %s group by d.sha256, d.metadata",
        (Jsonb(signature), model, tenant, str(path))).fetchone()
    if existing and existing[0] == digest and existing[1] and (model is None or existing[2]):
        return IngestResult(shown, "unchanged", 0)
    try:
        document = read(path, raw)
    except Unreadable as exc:
        return IngestResult(shown, "skipped", 0, str(exc))
    chunks = chunk_document(document, max_tokens=chunking.max_tokens, overlap=chunking.overlap)
    vectors = embedder.embed([c.text for c in chunks]) if (embedder and chunks) else [None] * len(chunks)
    kind = format_of(path) or "text"
    name = document.title or path.name.split(".")[0] or path.name
    document_id = conn.execute(
        """
        insert into knowledge.documents (tenant_id, name, file_name, path, content_type, source, agent_id,
                                         sha256, chunk_count, metadata)
        values (%s, %s, %s, %s, %s, 'ingest', %s, %s, %s, %s)
        on conflict (tenant_id, path) do update
           set name = excluded.name, sha256 = excluded.sha256, chunk_count = excluded.chunk_count,
               content_type = excluded.content_type, agent_id = excluded.agent_id, archived_at = null,
               metadata = knowledge.documents.metadata || excluded.metadata
        returning id
        """,
        (tenant, name[:500], path.name, str(path), CONTENT_TYPES[kind], agent_id, digest, len(chunks),
         Jsonb({"format": kind, "chunking": signature})),
    ).fetchone()[0]
    conn.execute("delete from knowledge.chunks where tenant_id = %s and document_id = %s", (tenant, document_id))
    language = conn.execute("select text_search_config::oid from core.tenants where id = %s", (tenant,)).fetchone()[0]
    _copy_chunks(conn, [
        (tenant, document_id, index, chunk.text, vector, model if vector else None, agent_id,
         Jsonb({"headings": list(chunk.headings)}), language, chunk.tokens)
        for index, (chunk, vector) in enumerate(zip(chunks, vectors))])
    return IngestResult(shown, "replaced" if existing else "loaded", len(chunks))


def ingest(conn: psycopg.Connection, tenant: str, paths: list[Path], embedder: Embedder | None,
           agent_id=None, on_file: Callable[[IngestResult], None] | None = None,
           defer_keyword_index: bool = False, chunking: Chunking = Chunking()) -> list[IngestResult]:
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
                conn.execute("set local agentdb.defer_keyword_index = on")
            result = ingest_file(conn, tenant_uuid, path, embedder, model, agent_id, chunking)
        results.append(result)
        if on_file:
            on_file(result)
    if defer_keyword_index:
        with conn.transaction():
            conn.execute("select knowledge.index_pending_chunks_of(%s)", (tenant_id(conn, tenant),))
    return results
