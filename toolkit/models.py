"""Embedding models: list them, register one, find their ids (the SQL API does the work)."""

from __future__ import annotations

import psycopg

from .errors import UsageError


def list_models(conn: psycopg.Connection) -> tuple[list[str], list[dict]]:
    cursor = conn.execute("select id, name, dimensions, distance, index_storage, hnsw_m, hnsw_ef_construction, "
                          "provider from knowledge.embedding_models order by id")
    columns = [c.name for c in cursor.description]
    return columns, [dict(zip(columns, r)) for r in cursor.fetchall()]


def register(conn: psycopg.Connection, name: str, dims: int, distance: str, storage: str, hnsw_m: int,
             ef_construction: int) -> int:
    """Register a model with its HNSW indexes left to embedding_indexes.build (concurrently)."""
    with conn.transaction():
        conn.execute("select set_config('agentdb.defer_embedding_indexes', 'on', true)")
        return conn.execute("select knowledge.register_embedding_model(%s, %s, %s, %s, %s, %s)",
                            (name, dims, distance, storage, hnsw_m, ef_construction)).fetchone()[0]


def ids(conn: psycopg.Connection, name: str | None = None) -> list[int]:
    """Every model's id, or the one named (UsageError when there is none)."""
    if name is None:
        return [r[0] for r in conn.execute("select id from knowledge.embedding_models order by id")]
    found = [r[0] for r in conn.execute("select id from knowledge.embedding_models where name = %s", (name,))]
    if not found:
        raise UsageError(f"no embedding model named {name!r} (see agentdb model list)")
    return found
