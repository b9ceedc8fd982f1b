"""Search from the shell: the SQL API does the work; this module embeds the text and
calls the search functions (ingest lives in toolkit/ingest/)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from pgvector.psycopg import register_vector

from .embedders import Embedder
from .errors import UsageError

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
