"""Compatibility packs: one opt-in migration set per seed system (compat/<name>/), whose
views carry that system's own table and column names over agentdb's tables, so the
system's documented SQL runs verbatim as the app role under row-level security.

A pack is a migration set like agentdb's own: `migrations/NNNN_*.sql` with
`.rollback.sql` beside each, and repeatable objects under `sql/functions` and
`sql/views`, plus `pack.toml` (schema, search_path, document). It is applied after
agentdb's set, in one transaction, with its own bookkeeping
(`agentdb_meta.compat_objects`); uninstalling rolls its migrations back, newest first,
and forgets it, leaving the catalog as it was before the install.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import sql

from . import db, migrator
from .errors import CheckFailed, UsageError, describe_pg_error
from .compat_sql import BOOKKEEPING, OUTSIDE_DEPENDENTS, STORED_RELATIONS
from .sqlfiles import MigrationFile, RepeatableFile, dependency_order, load_migrations, load_repeatables



@dataclass(frozen=True)
class Pack:
    name: str
    root: Path
    schema: str
    search_path: str
    document: str
    summary: str

    def migrations(self) -> list[MigrationFile]:
        return load_migrations(self.root / "migrations")

    def repeatables(self) -> dict[str, RepeatableFile]:
        return load_repeatables(self.root / "sql")


def packs_dir() -> Path:
    """compat/ beside the package: the checkout's, or the copy the wheel carries."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "compat", here.parent / "compat"):
        if candidate.is_dir():
            return candidate
    raise UsageError("no compat/ directory found beside the agentdb package")


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


def _has_bookkeeping(conn: psycopg.Connection) -> bool:
    return conn.execute("select to_regclass('agentdb_meta.compat_objects') is not null").fetchone()[0]


def installed(conn: psycopg.Connection) -> dict[str, datetime]:
    """Installed packs and when their newest object was applied."""
    if not _has_bookkeeping(conn):
        return {}
    rows = conn.execute("select pack, max(applied_at) from agentdb_meta.compat_objects group by pack")
    return dict(rows.fetchall())


def _recorded(conn: psycopg.Connection, pack: Pack) -> dict[tuple[str, str], str]:
    if not _has_bookkeeping(conn):
        return {}
    rows = conn.execute("select kind, name, checksum from agentdb_meta.compat_objects where pack = %s", (pack.name,))
    return {(kind, name): checksum for kind, name, checksum in rows}


def _record(conn: psycopg.Connection, pack: Pack, kind: str, name: str, checksum: str) -> None:
    conn.execute(
        "insert into agentdb_meta.compat_objects (pack, kind, name, checksum) values (%s, %s, %s, %s) "
        "on conflict (pack, kind, name) do update set checksum = excluded.checksum, applied_at = clock_timestamp()",
        (pack.name, kind, name, checksum),
    )


def _roles(conn: psycopg.Connection) -> dict[str, str]:
    if not conn.execute("select to_regclass('ops.roles') is not null").fetchone()[0]:
        raise CheckFailed("agentdb's schema is not applied to this database: run `agentdb migrate` first")
    return dict(conn.execute("select kind, name from ops.roles").fetchall())


def _secure(conn: psycopg.Connection, pack: Pack, roles: dict[str, str]) -> None:
    """The pack's schema and objects belong to agentdb's owner role; the app role may read
    and write its views, the read-only role read them (row-level security still decides
    which rows: every view is security_invoker)."""
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


def _apply_repeatable(conn: psycopg.Connection, obj: RepeatableFile) -> None:
    """create or replace; when PostgreSQL cannot replace in place (a view that loses or
    retypes a column, a function whose result type changed), drop the old definition and
    create it anew in the same transaction (the file re-creates its trigger too)."""
    try:
        with conn.transaction():
            conn.execute(obj.sql)
    except psycopg.Error as exc:
        if exc.sqlstate not in migrator._REPLACE_FAILS:
            raise
        target = sql.Identifier(obj.schema, obj.object_name)
        if obj.kind == "view":
            conn.execute(sql.SQL("drop view {}").format(target))
        else:
            conn.execute(sql.SQL("drop function {}").format(target))
        conn.execute(obj.sql)


def install(url: str, name: str, settings: migrator.Settings | None = None) -> list[str]:
    """Apply the pack's pending migrations and changed repeatable objects in one
    transaction; returns what ran (nothing when the pack is installed and current)."""
    pack = find(name)
    settings = settings or migrator.Settings()
    migrations, repeatables = pack.migrations(), pack.repeatables()
    steps: list[str] = []
    with migrator.migration_lock(url, settings.lock_wait), db.connect(url) as conn:
        roles = _roles(conn)
        recorded = _recorded(conn, pack)
        where = None
        try:
            if not _has_bookkeeping(conn):
                conn.execute(BOOKKEEPING)
            conn.execute("select set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
                         (settings.lock_timeout, settings.statement_timeout))
            for migration in migrations:
                if ("migration", migration.id) in recorded:
                    continue
                where = migration.path.name
                conn.execute(migration.sql)
                _record(conn, pack, "migration", migration.id, migration.checksum)
                steps.append(f"migration {migration.id}")
            changed = {n for n, o in repeatables.items() if recorded.get((o.kind, n)) != o.checksum}
            for obj_name in dependency_order(repeatables, changed):
                obj = repeatables[obj_name]
                where = obj.path.name
                _apply_repeatable(conn, obj)
                _record(conn, pack, obj.kind, obj.name, obj.checksum)
                steps.append(f"{obj.kind} {obj.name}")
            if steps:
                where = None
                _secure(conn, pack, roles)
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            raise CheckFailed(describe_pg_error(exc, where)) from exc
    return steps


def uninstall(url: str, name: str, settings: migrator.Settings | None = None) -> list[str]:
    """Roll the pack's migrations back, newest first, and forget it; agentdb's own
    objects and data are untouched. The bookkeeping table goes with the last pack."""
    pack = find(name)
    settings = settings or migrator.Settings()
    with migrator.migration_lock(url, settings.lock_wait), db.connect(url) as conn:
        recorded = _recorded(conn, pack)
        if not recorded:
            raise CheckFailed(f"compatibility pack {name} is not installed here")
        by_id = {m.id: m for m in pack.migrations()}
        applied = sorted((i for kind, i in recorded if kind == "migration"), reverse=True)
        missing = [i for i in applied if i not in by_id or by_id[i].rollback_path is None]
        if missing:
            raise CheckFailed(f"{name}: migration {missing[0]} has no .rollback.sql in this version of the pack")
        outside = [r[0] for r in conn.execute(OUTSIDE_DEPENDENTS, {"schema": pack.schema}).fetchall()]
        stored = [r[0] for r in conn.execute(STORED_RELATIONS, {"schema": pack.schema}).fetchall()]
        if stored:
            raise CheckFailed(f"{name}: {', '.join(stored[:5])} hold(s) rows inside the pack's schema {pack.schema}; "
                              "move or drop them first (uninstall removes the pack and nothing else)")
        if outside:
            raise CheckFailed(f"{name}: {', '.join(outside[:5])} depend(s) on the pack's schema {pack.schema}; "
                              "drop or change them first (uninstall removes the pack and nothing else)")
        steps, where = [], None
        try:
            for migration_id in applied:
                where = by_id[migration_id].rollback_path.name
                conn.execute(by_id[migration_id].rollback_sql)
                steps.append(f"rollback {migration_id}")
            conn.execute("delete from agentdb_meta.compat_objects where pack = %s", (pack.name,))
            if not conn.execute("select exists (select 1 from agentdb_meta.compat_objects)").fetchone()[0]:
                conn.execute("drop table agentdb_meta.compat_objects")
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            raise CheckFailed(describe_pg_error(exc, where)) from exc
    return steps


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
