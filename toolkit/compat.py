"""Compatibility packs: one opt-in migration set per seed system (compat/<name>/), whose
views carry that system's own table and column names over agentdb's tables, so the
system's documented SQL runs verbatim as the app role under row-level security.

A pack is a migration set like any application's (toolkit.project.MigrationSet, named
`compat_<name>`): `migrations/NNNN_*.sql` with `.rollback.sql` beside each, repeatable
objects under `sql/functions` and `sql/views`, and `pack.toml` (schema, search_path,
document). The migration runner applies it after agentdb's set, in one transaction, with
its own bookkeeping; uninstalling rolls all its migrations back and forgets it, leaving
the catalog as it was before the install.
"""

from __future__ import annotations

import importlib.resources
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from . import citus_distribute, db, migrator
from .compat_sql import FORGET_SET, INSTALLED, OUTSIDE_DEPENDENTS, STORED_RELATIONS
from .errors import CheckFailed, UsageError
from .project import MigrationSet, Project, core_set
from .sqlfiles import MigrationFile, load_migrations

SET_PREFIX = "compat_"


@dataclass(frozen=True)
class Pack:
    name: str
    root: Path
    schema: str
    search_path: str
    document: str
    summary: str

    @property
    def migration_set(self) -> MigrationSet:
        return MigrationSet(SET_PREFIX + self.name.replace("-", "_"), self.root)

    def migrations(self) -> list[MigrationFile]:
        return load_migrations(self.root / "migrations")


class _PackProject(Project):
    """agentdb's set and the pack's, for the runner's per-set operations (rollback)."""

    def __init__(self, pack: Pack):
        super().__init__(None)
        object.__setattr__(self, "pack", pack)

    def sets(self) -> list[MigrationSet]:
        return [core_set(), self.pack.migration_set]


def packs_dir() -> Path:
    """compat/ of the checkout (also through an editable install), else the copy the
    wheel carries beside agentdb's own schema (toolkit/schema/compat)."""
    checkout = Path(__file__).resolve().parents[1] / "compat"
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files("toolkit") / "schema" / "compat"))


def packs() -> dict[str, Pack]:
    found = {}
    for meta in sorted(packs_dir().glob("*/pack.toml")):
        data = tomllib.loads(meta.read_text(encoding="utf-8"))
        found[meta.parent.name] = Pack(meta.parent.name, meta.parent, data["schema"], data["search_path"],
                                       data["document"], data["summary"])
    return found


def find(name: str) -> Pack:
    known = packs()
    if name not in known:
        raise UsageError(f"no compatibility pack {name!r}: choose one of {', '.join(sorted(known))}")
    return known[name]


def installed(conn: psycopg.Connection) -> dict[str, datetime]:
    """Installed packs (by name) and when their newest migration was applied."""
    if not conn.execute("select to_regclass('agentdb_meta.applied_migrations') is not null").fetchone()[0]:
        return {}
    by_set = {p.migration_set.name: p.name for p in packs().values()}
    rows = conn.execute(INSTALLED, {"prefix": SET_PREFIX + "%"}).fetchall()
    return {by_set[s]: at for s, at in rows if s in by_set}


def _roles(conn: psycopg.Connection) -> dict[str, str]:
    if not conn.execute("select to_regclass('ops.roles') is not null").fetchone()[0]:
        raise CheckFailed("agentdb's schema is not applied to this database: run `agentdb migrate` first")
    return dict(conn.execute("select kind, name from ops.roles").fetchall())


def _secure(conn: psycopg.Connection, pack: Pack, roles: dict[str, str]) -> None:
    """The pack's schema and objects belong to agentdb's owner role; the app role may read
    and write its views, the read-only role read them (row-level security still decides
    which rows: every view is security_invoker). Idempotent."""
    schema = sql.Identifier(pack.schema)
    owner, app, readonly = (sql.Identifier(roles[k]) for k in ("owner", "app", "readonly"))
    conn.execute(sql.SQL("alter schema {} owner to {}").format(schema, owner))
    for (rel, kind) in conn.execute(
        "select c.oid::regclass::text, c.relkind from pg_catalog.pg_class as c "
        "where c.relnamespace = %s::regnamespace and c.relkind in ('v', 'S')", (pack.schema,)
    ).fetchall():
        what = sql.SQL("view" if kind == "v" else "sequence")
        conn.execute(sql.SQL("alter {} {} owner to {}").format(what, sql.SQL(rel), owner))
    for (fn,) in conn.execute(
        "select p.oid::regprocedure::text from pg_catalog.pg_proc as p where p.pronamespace = %s::regnamespace",
        (pack.schema,),
    ).fetchall():
        conn.execute(sql.SQL("alter routine {} owner to {}").format(sql.SQL(fn), owner))
        conn.execute(sql.SQL("revoke all on routine {} from public").format(sql.SQL(fn)))
        conn.execute(sql.SQL("grant execute on routine {} to {}, {}").format(sql.SQL(fn), app, readonly))
    conn.execute(sql.SQL("revoke all on schema {} from public").format(schema))
    conn.execute(sql.SQL("grant usage on schema {} to {}, {}").format(schema, app, readonly))
    conn.execute(sql.SQL("grant select on all tables in schema {} to {}, {}").format(schema, app, readonly))
    conn.execute(sql.SQL("grant insert, update, delete on all tables in schema {} to {}").format(schema, app))
    conn.execute(sql.SQL("grant usage, select on all sequences in schema {} to {}").format(schema, app))


def install(url: str, name: str, settings: migrator.Settings | None = None) -> list[str]:
    """Apply the pack's pending migrations and changed repeatable objects (one transaction,
    under the migration lock), then its ownership and grants; returns what ran (nothing
    when the pack is installed and current)."""
    pack = find(name)
    settings = settings or migrator.Settings()
    with db.connect(url) as conn:
        roles = _roles(conn)
        if citus_distribute.is_distributed(conn):
            raise UsageError(f"compatibility pack {name}: not on a Citus cluster yet (its views' INSTEAD OF "
                             "triggers write with statement shapes Citus refuses: sub-selects in INSERT VALUES, "
                             "views over distributed tables); install it on a single node")
    steps = migrator.migrate(url, Project(None), settings, sets=[pack.migration_set])
    with db.connect(url) as conn:
        _secure(conn, pack, roles)
        conn.commit()
    return [f"{step.kind} {step.name}" for step in steps]


def uninstall(url: str, name: str, settings: migrator.Settings | None = None) -> list[str]:
    """Roll every migration of the pack back, newest first, and forget the set; agentdb's
    own objects and data are untouched. Refuses while anything outside the pack depends
    on it, or rows live in its schema."""
    pack = find(name)
    settings = settings or migrator.Settings()
    with db.connect(url) as conn:
        if name not in installed(conn):
            raise CheckFailed(f"compatibility pack {name} is not installed here")
        outside = [r[0] for r in conn.execute(OUTSIDE_DEPENDENTS, {"schema": pack.schema}).fetchall()]
        stored = [r[0] for r in conn.execute(STORED_RELATIONS, {"schema": pack.schema}).fetchall()]
    if stored:
        raise CheckFailed(f"{name}: {', '.join(stored[:5])} hold(s) rows inside the pack's schema {pack.schema}; "
                          "move or drop them first (uninstall removes the pack and nothing else)")
    if outside:
        raise CheckFailed(f"{name}: {', '.join(outside[:5])} depend(s) on the pack's schema {pack.schema}; "
                          "drop or change them first (uninstall removes the pack and nothing else)")
    steps = migrator.rollback(url, _PackProject(pack), settings, everything=True, set_name=pack.migration_set.name)
    with db.connect(url) as conn:  # the set's remaining bookkeeping: its repeatables
        conn.execute(FORGET_SET, {"set": pack.migration_set.name})
        conn.commit()
    return [f"rollback {step.name}" for step in steps]


def list_rows(url: str | None) -> list[dict]:
    """Every pack, and whether it is installed (when a database is given)."""
    done: dict[str, datetime] = {}
    if url:
        with db.connect(url, autocommit=True) as conn:
            done = installed(conn)
    return [
        {"name": p.name, "schema": p.schema, "installed": p.name in done, "installed_at": done.get(p.name),
         "search_path": p.search_path, "document": p.document, "summary": p.summary}
        for p in packs().values()
    ]
