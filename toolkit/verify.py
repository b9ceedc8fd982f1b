"""`agentdb verify`: invariants that fail loudly. Each is a query returning the rows
that break it (no rows: it holds), Sqitch-style. Catalog and data invariants live in
sql/verify/*.sql with a header (description, severity, fix); the few that need the
project's files (pending migrations, drift, repeatable objects, named queries) are here."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import psycopg

from . import db, drift, headers, migrator, queries, verify_citus
from .config import Project
from .errors import UsageError
from .sqlfiles import read_sql


@dataclass
class Invariant:
    name: str
    severity: str  # error | warning
    description: str
    fix: str
    check: Callable[[psycopg.Connection, Project], list[dict]]
    # run only where this holds (None: everywhere); the Citus checks need a distributed schema
    applies: Callable[[psycopg.Connection], bool] | None = None


@dataclass
class Finding:
    name: str
    severity: str
    description: str
    fix: str
    rows: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.rows


def _rows(cursor) -> list[dict]:
    columns = [c.name for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _sql_invariant(path: Path) -> Invariant:
    header = headers.read(read_sql(path))
    severity = header.get("severity")
    if severity not in ("error", "warning"):
        raise UsageError(f"{path.name}: the header needs '-- severity: error' or '-- severity: warning'")
    named = queries.NamedQuery(path.stem, path, header.text("description"),
                               (queries.Param("schemas", "text[]", False, None, ""),), False, header.body.rstrip(";"))
    compiled = queries.compile_sql(named)

    def check(conn: psycopg.Connection, project: Project) -> list[dict]:
        return _rows(conn.execute(compiled, {"schemas": db.domain_schemas(conn)}))

    return Invariant(path.stem, severity, header.text("description"), header.get("fix", ""), check)


def _migrations_applied(conn, project):
    return [{"set": s.migration_set.name, "migration": m.id, "state": "pending"}
            for s in migrator.read_states(conn, project) for m in s.pending()]


def _no_drift(conn, project):
    rows = []
    for state in migrator.read_states(conn, project):
        name = state.migration_set.name
        rows += [{"set": name, "migration": m.id, "state": "changed since applied"} for m in state.drifted()]
        rows += [{"set": name, "migration": i, "state": "applied, file missing"} for i in state.missing_files()]
    return rows


def _repeatables_current(conn, project):
    return [{"set": s.migration_set.name, "object": n, "state": s.repeatable_state(n)}
            for s in migrator.read_states(conn, project) for n in sorted(s.repeatables)
            if s.repeatable_state(n) != "current"]


def _named_queries_prepare(conn, project):
    """Plan every named query with its parameters typed as declared (EXPLAIN with nulls),
    each in a read-only transaction of its own, rolled back, on a second connection: on
    Citus an EXPLAIN turns local execution off for the rest of its transaction, and a
    worker's failed EXPLAIN inside a savepoint leaves that worker's side aborted (seen with
    the hybrid_search query), which would fail every later query in one transaction."""
    failures = []
    with db.connect(drift.connection_url(conn)) as other:
        for query in queries.load_all(project.query_dirs()).values():
            try:
                with other.transaction(force_rollback=True):
                    other.execute("set transaction read only")
                    other.execute("explain " + queries.compile_sql(query), {p.name: None for p in query.params})
            except psycopg.Error as exc:
                failures.append({"query": query.name, "error": (exc.diag.message_primary or str(exc)).strip()})
    return failures


PYTHON_INVARIANTS = [
    Invariant("migrations_applied", "error", "No migration is pending.", "agentdb migrate", _migrations_applied),
    Invariant("no_migration_drift", "error",
              "No applied migration's file changed or went missing since it was applied.",
              "restore the file as applied; put the change in a new migration", _no_drift),
    Invariant("repeatable_objects_current", "error",
              "Every function and view under sql/ is applied as its file now reads.", "agentdb migrate",
              _repeatables_current),
    Invariant("named_queries_prepare", "error",
              "Every named query in sql/queries/ plans against the live schema with its declared parameter types.",
              "fix the query (or the migration that renamed what it uses)", _named_queries_prepare),
    Invariant("no_schema_drift", "error", "The catalog matches what the applied migrations build (agentdb drift).",
              "undo the out-of-band change, or put it in a migration", drift.verify_check),
]


def _ann_recall(conn, project, k: int = 10, samples: int = 20, threshold: float = 0.9):
    """--deep: per model and table, sample stored embeddings as queries and compare the
    HNSW top-k with the exact top-k."""
    failures = []
    models = conn.execute("select id, name from knowledge.embedding_models order by id").fetchall()
    tables = [r[0] for r in conn.execute("select t::text from knowledge.embedding_tables() t")]
    for model_id, name in models:
        distance = conn.execute("select knowledge.embedding_distance(%s, 'embedding', '%%s')", (model_id,)).fetchone()[0]
        for table in tables:
            probes = [r[0] for r in conn.execute(
                f"select embedding::text from {table} where embedding_model_id = %s order by random() limit %s",
                (model_id, samples))]
            if len(probes) < 5:
                continue
            hits = 0
            for probe in probes:
                order = f"select id from {table} where embedding_model_id = {int(model_id)} order by {distance} limit {k}"
                with conn.transaction():
                    conn.execute("set local hnsw.ef_search = 40")
                    approx = {r[0] for r in conn.execute(order, (probe,))}
                with conn.transaction():
                    conn.execute("set local enable_indexscan = off")
                    exact = {r[0] for r in conn.execute(order, (probe,))}
                hits += len(approx & exact) / max(1, len(exact))
            recall = hits / len(probes)
            if recall < threshold:
                failures.append({"model": name, "table": table, "recall": round(recall, 3), "threshold": threshold})
    return failures


DEEP_INVARIANTS = [
    Invariant("ann_recall", "error", "Each model's HNSW index finds at least 90 % of the exact top 10 (sampled).",
              "raise the model's hnsw_m / ef_construction and rebuild (agentdb model index)", _ann_recall),
]


CITUS_INVARIANTS = [Invariant(name, severity, description, fix, check, verify_citus.applies)
                    for name, severity, description, fix, check in verify_citus.CHECKS]


def invariants(project: Project, deep: bool = False) -> list[Invariant]:
    found = list(PYTHON_INVARIANTS) + CITUS_INVARIANTS
    for migration_set in project.sets():
        found += [_sql_invariant(p) for p in sorted(migration_set.verify_dir.glob("*.sql"))]
    if deep:
        found += DEEP_INVARIANTS
    return found


def run(conn: psycopg.Connection, project: Project, only: tuple[str, ...] = (), skip: tuple[str, ...] = (),
        deep: bool = False) -> list[Finding]:
    chosen = invariants(project, deep)
    names = {i.name for i in chosen}
    unknown = sorted((set(only) | set(skip)) - names - {d.name for d in DEEP_INVARIANTS})
    if unknown:
        raise UsageError(f"unknown invariant {unknown[0]!r} (agentdb verify --list shows them)")
    findings = []
    applicable: dict[Callable, bool] = {}
    for invariant in chosen:
        if (only and invariant.name not in only) or invariant.name in skip:
            continue
        if invariant.applies is not None:
            if invariant.applies not in applicable:
                applicable[invariant.applies] = invariant.applies(conn)
            if not applicable[invariant.applies]:
                continue
        started = time.monotonic()
        with conn.transaction():
            conn.execute("set transaction read only")
            rows = invariant.check(conn, project)
        findings.append(Finding(invariant.name, invariant.severity, invariant.description, invariant.fix, rows,
                                round(time.monotonic() - started, 3)))
    return findings
