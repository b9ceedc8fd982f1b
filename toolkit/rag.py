"""Search from the shell: the SQL API does the work; this module embeds the text and
calls the search functions (ingest lives in toolkit/ingest/)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from pgvector import Vector
from pgvector.psycopg import register_vector

from .embedders import Embedder
from .errors import UsageError

SCOPES = ("chunks", "memories", "messages", "documents")


def model_id(conn: psycopg.Connection, embedder: Embedder) -> int:
    """The registered model of the embedder, registered on first use (race-free, in SQL)."""
    return conn.execute("select knowledge.ensure_embedding_model(%s, %s, 'cosine', %s)",
                        (embedder.name, embedder.dimensions, embedder.provider)).fetchone()[0]


def tenant_id(conn: psycopg.Connection, tenant: str):
    """Set the transaction's tenant (row-level security) and return its id."""
    from .db import set_tenant

    return set_tenant(conn, tenant)


def agent_of(conn: psycopg.Connection, tenant: str, agent: str | None):
    """The id of the tenant's agent (None for none), in a transaction of its own."""
    with conn.transaction():
        return resolve_agent(conn, tenant_id(conn, tenant), agent, tenant)


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


def resolve_agent(conn, tenant_id, agent: str | None, tenant: str | None = None):
    """The id of the tenant's agent named by slug, name or id (agents.resolve_agent)."""
    if agent is None:
        return None
    try:
        with conn.transaction():
            return conn.execute("select agents.resolve_agent(%s, %s)", (tenant_id, agent)).fetchone()[0]
    except psycopg.errors.NoDataFound as exc:
        raise UsageError(f"no agent {agent!r} in tenant {tenant or tenant_id} (agents belong to a tenant: "
                         "pass --tenant)") from exc


def search(conn: psycopg.Connection, tenant: str, request: SearchRequest,
           embedder: Embedder | None) -> tuple[list[str], list[dict]]:
    if request.scope not in SCOPES:
        raise UsageError(f"scope must be one of {', '.join(SCOPES)}")
    register_vector(conn)
    tenant_uuid = tenant_id(conn, tenant)
    agent_id = resolve_agent(conn, tenant_uuid, request.agent, tenant)
    vector = embedder.embed([request.text])[0] if embedder else None
    model = model_id(conn, embedder) if embedder else None
    # pgvector's Vector is adapted without numpy (a plain list would be sent as an array)
    query = Vector([float(x) for x in vector]) if vector is not None else None
    if request.scope == "chunks":
        sql_text = ("select c.score, c.keyword_score, c.found_by, c.vector_rank, c.keyword_rank, d.name as document, "
                    "c.content from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, %(mode)s, "
                    "p_agent_id => %(a)s, p_since => %(since)s, p_until => %(until)s) c "
                    "join knowledge.documents d on d.tenant_id = %(t)s and d.id = c.document_id "
                    "order by c.score desc, least(c.vector_rank, c.keyword_rank), c.chunk_id")
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
    rows = [{"rank": rank, **dict(zip(columns, r))} for rank, r in enumerate(cursor.fetchall(), 1)]
    conn.commit()
    if "keyword_score" in columns:  # chunks: keyword only, the BM25 score is the one that means something
        for row in rows:
            keyword = row.pop("keyword_score")
            if vector is None:
                row["score"] = keyword
        columns.remove("keyword_score")
    return ["rank", *columns], rows
