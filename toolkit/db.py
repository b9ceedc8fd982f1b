"""Connections: turn the configured target into a URL (starting the embedded server
when that is the target) and open psycopg connections to it."""

from __future__ import annotations

import psycopg

from . import config, server
from .errors import CheckFailed


def libpq_url(url: str) -> str:
    """Accept SQLAlchemy/yoyo-style `postgresql+psycopg://` too."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres+psycopg://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


def target_url(target: config.DatabaseTarget, pg_version: int | None = None,
               project: config.Project | None = None) -> str:
    """The URL to connect to; for the embedded server, start it (or reuse it) first, under
    the project's data folder (a UsageError, starting nothing, when there is none)."""
    if target.url:
        return libpq_url(target.url)
    state = server.start(config.agentdb_home(project), pg_version or config.default_pg_version())
    return state.url


def connect(url: str, *, autocommit: bool = False, application_name: str = "agentdb") -> psycopg.Connection:
    try:
        # no server-side prepared statements: every command works through a
        # transaction-mode pooler (PgBouncer), where a prepared statement may land on
        # another server connection
        return psycopg.connect(url, autocommit=autocommit, application_name=application_name,
                               prepare_threshold=None)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        # the operation failed (the server is down, refused, unknown): 1, not the 2 of bad usage
        raise CheckFailed(f"cannot connect to {redact(url)}: {first}") from exc


def redact(url: str) -> str:
    """The URL with any password replaced, for messages and status output."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    if info.get("password"):
        return url.replace(info["password"], "***", 1)
    return url


def set_tenant(conn: psycopg.Connection, tenant: str):
    """Make `tenant` (slug, id or external id) the tenant of the current transaction, through
    the same SQL function every client uses; returns its id."""
    return conn.execute("select ops.set_tenant(%s)", (tenant,)).fetchone()[0]


def server_version(conn: psycopg.Connection) -> str:
    return conn.execute("show server_version").fetchone()[0]


def domain_schemas(conn: psycopg.Connection) -> list[str]:
    """agentdb's domain schemas, from the one place that lists them (ops.domain_schemas())."""
    return conn.execute("select ops.domain_schemas()").fetchone()[0]


def pgvector_version(conn: psycopg.Connection) -> str | None:
    row = conn.execute("select extversion from pg_extension where extname = 'vector'").fetchone()
    return row[0] if row else None
