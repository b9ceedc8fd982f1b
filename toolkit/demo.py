"""`agentdb demo`: load the demo data set (demo/*.sql, one file per seed system, and the
knowledge base in demo/knowledge) touching all five seed systems.
Loading twice changes nothing: the data goes in once, under the tenants it creates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
from psycopg import sql

from . import citus_distribute
from .errors import UsageError
from .ingest import load as loader
from .project import Project, core_root

DEMO_TENANTS = ("tokyo-ia", "cirkelline", "aj-acme", "aj-globex", "heartwood")


def demo_dir() -> Path:
    """demo/ of the checkout, else the copy the wheel carries (toolkit/schema/demo)."""
    return core_root() / "demo"


def loaded(conn: psycopg.Connection) -> bool:
    return conn.execute("select exists (select 1 from core.tenants where slug = 'heartwood')").fetchone()[0]


def load(conn: psycopg.Connection, project: Project | None = None) -> dict[str, int]:
    """Every demo/*.sql file, in name order, in one transaction (all of the demo or none
    of it); then the knowledge base from demo/knowledge, one file per transaction."""
    directory = demo_dir()
    if citus_distribute.is_distributed(conn):
        raise UsageError("the demo loads on a single node only: on a Citus cluster its files crashed a worker "
                         "(a segmentation fault in COMMIT PREPARED, Citus 14.0.1); load it on one node and move "
                         "the database with pg_dump and agentdb distribute")
    with conn.transaction():
        for path in sorted(directory.glob("*.sql")):
            conn.execute(path.read_text(encoding="utf-8"))

    knowledge = sorted((directory / "knowledge").glob("*.md"))
    results = loader.ingest(conn, "personal", knowledge, None) if knowledge else []
    conn.commit()
    counts = {}
    for table in ("core.tenants", "agents.agents", "chat.messages", "work.tasks", "memory.memories",
                  "knowledge.chunks"):
        counts[table] = conn.execute(sql.SQL("select count(*) from {}").format(
            sql.Identifier(*table.split(".")))).fetchone()[0]
    counts["knowledge files"] = len(results)
    return counts


def fingerprint(conn: psycopg.Connection) -> str:
    """A digest of the demo's row counts, to show a second load changed nothing."""
    rows = conn.execute("select relname, n_live_tup from pg_stat_user_tables order by 1").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
