"""`agentdb demo`: load the demo data set (demo/*.sql, one file per seed system, and the
knowledge base in demo/knowledge) touching all five seed systems.
Loading twice changes nothing: the data goes in once, under the tenants it creates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
from psycopg import sql

from . import citus_distribute
from .errors import CheckFailed, describe_pg_error
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
    files = sorted(directory.glob("*.sql"))
    if citus_distribute.is_distributed(conn):
        _load_on_cluster(conn, files)
    else:
        with conn.transaction():
            for path in files:
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


def _load_on_cluster(conn: psycopg.Connection, files: list[Path]) -> None:
    """On a Citus cluster each file (one seed system) in a transaction of its own: in one,
    Citus refuses the global (reference) rows a later file writes after the tenant rows of
    an earlier one ("a parallel operation on a distributed table"), and in sequential mode
    a worker's foreign key check did not see a tenant the same transaction had added. A
    failure names its file; the files before it stay loaded."""
    conn.commit()
    for number, path in enumerate(files):
        try:
            with conn.transaction():
                conn.execute(path.read_text(encoding="utf-8"))
        except psycopg.Error as exc:
            done = ", ".join(p.name for p in files[:number]) or "none"
            raise CheckFailed(f"demo file {path.name} failed on the cluster ({describe_pg_error(exc)}); "
                              f"loaded before it: {done}") from exc


def fingerprint(conn: psycopg.Connection) -> str:
    """A digest of the demo's row counts, to show a second load changed nothing."""
    rows = conn.execute("select relname, n_live_tup from pg_stat_user_tables order by 1").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
