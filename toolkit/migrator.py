"""Apply, plan, undo and report migrations and repeatable objects.

yoyo-migrations reads the migration files (see sqlfiles.py) and its bookkeeping tables
are kept in step, so `yoyo list` agrees with `agentdb status`. What runs, and in which
transaction, is decided here, because agentdb needs what yoyo lacks:

* every pending migration, the repeatable objects they require and every changed
  repeatable object run in ONE transaction with the bookkeeping rows, so a failure
  anywhere leaves the database exactly as it was (a `-- transactional: false`
  migration is a commit point: the batch before it commits, it runs alone);
* content checksums: an applied migration whose file changed is drift, and migrate
  refuses to run until it is resolved;
* a PostgreSQL advisory lock, held on its own connection for the whole run, so
  concurrent migrators queue and a crashed one leaves no stale lock;
* lock_timeout and statement_timeout on every migration statement.
"""

from __future__ import annotations

import getpass
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote, urlencode

import psycopg
from psycopg import sql

from . import db
from .config import Project
from .errors import CheckFailed, UsageError, describe_pg_error
from .sqlfiles import MigrationFile, RepeatableFile, dependency_order, load_migrations, load_repeatables

LOCK_KEY = 4_242_000_001  # pg_advisory_lock key for "agentdb migrate", per database
META_SCHEMA = "agentdb_meta"

META_DDL = """
create schema if not exists agentdb_meta;
comment on schema agentdb_meta is 'agentdb tool bookkeeping: which migrations and repeatable objects are applied, with their checksums';
create table if not exists agentdb_meta.applied_migrations (
    migration_id text primary key,
    checksum text not null,
    applied_at timestamptz not null default clock_timestamp(),
    applied_by text not null default current_user,
    duration_ms integer not null default 0 check (duration_ms >= 0)
);
comment on table agentdb_meta.applied_migrations is 'One row per applied migration file, with the sha256 of its content when applied';
comment on column agentdb_meta.applied_migrations.migration_id is 'File name without .sql, e.g. 0001_create_schemas';
comment on column agentdb_meta.applied_migrations.checksum is 'sha256 of the file when it was applied; a different file now is drift';
comment on column agentdb_meta.applied_migrations.applied_at is 'When the migration was applied';
comment on column agentdb_meta.applied_migrations.applied_by is 'Database role that applied it';
comment on column agentdb_meta.applied_migrations.duration_ms is 'How long the migration took to run';
create table if not exists agentdb_meta.repeatable_objects (
    name text primary key,
    kind text not null check (kind in ('function', 'view')),
    checksum text not null,
    applied_at timestamptz not null default clock_timestamp()
);
comment on table agentdb_meta.repeatable_objects is 'One row per repeatable object (sql/functions, sql/views) with the sha256 of the file last applied';
comment on column agentdb_meta.repeatable_objects.name is 'schema.name, the file name under sql/ without .sql';
comment on column agentdb_meta.repeatable_objects.kind is 'function (functions, procedures, trigger functions) or view';
comment on column agentdb_meta.repeatable_objects.checksum is 'sha256 of the file when it was last applied';
comment on column agentdb_meta.repeatable_objects.applied_at is 'When the file was last applied';
"""


@dataclass
class Settings:
    lock_wait: float = 60.0  # seconds to wait for another migrator
    lock_timeout: str = "5s"  # per statement, for table locks
    statement_timeout: str = "10min"
    roles: dict[str, str] = field(default_factory=dict)  # kind -> name ([tool.agentdb] owner_role ...)


@dataclass
class State:
    """What the files say and what the database recorded."""

    migrations: list[MigrationFile]
    repeatables: dict[str, RepeatableFile]
    applied: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    applied_repeatables: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    present_objects: set[str] = field(default_factory=set)

    def drifted(self) -> list[MigrationFile]:
        return [m for m in self.migrations if m.id in self.applied and self.applied[m.id][0] != m.checksum]

    def missing_files(self) -> list[str]:
        ids = {m.id for m in self.migrations}
        return sorted(i for i in self.applied if i not in ids)

    def pending(self) -> list[MigrationFile]:
        return [m for m in self.migrations if m.id not in self.applied]

    def repeatable_state(self, name: str) -> str:
        obj = self.repeatables[name]
        recorded = self.applied_repeatables.get(name)
        if recorded is None:
            return "pending"
        if name not in self.present_objects:
            return "missing"  # recorded, but gone from the catalog (e.g. its schema was rolled back)
        return "current" if recorded[0] == obj.checksum else "changed"

    def repeatables_to_apply(self) -> set[str]:
        return {n for n in self.repeatables if self.repeatable_state(n) != "current"}


@dataclass(frozen=True)
class Step:
    kind: str  # migration | repeatable
    name: str
    action: str  # apply | reapply | rollback
    transactional: bool
    path: Path


def read_state(conn: psycopg.Connection, project: Project) -> State:
    state = State(load_migrations(project.migrations_dir), load_repeatables(project.sql_dir))
    has_meta = conn.execute("select to_regclass('agentdb_meta.applied_migrations') is not null").fetchone()[0]
    if has_meta:
        for mid, checksum, at in conn.execute(
            "select migration_id, checksum, applied_at from agentdb_meta.applied_migrations"
        ):
            state.applied[mid] = (checksum, at)
        for name, checksum, at in conn.execute("select name, checksum, applied_at from agentdb_meta.repeatable_objects"):
            state.applied_repeatables[name] = (checksum, at)
    state.present_objects = _present_objects(conn, state.repeatables.values())
    return state


def _present_objects(conn: psycopg.Connection, objects) -> set[str]:
    present = set()
    rows = conn.execute(
        """
        select n.nspname || '.' || p.proname from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        union
        select n.nspname || '.' || c.relname from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relkind in ('v', 'm')
        """
    ).fetchall()
    names = {r[0] for r in rows}
    for obj in objects:
        if obj.name in names:
            present.add(obj.name)
    return present


def plan(state: State) -> list[Step]:
    """The steps `migrate` would run, in order. Refuses while drift exists."""
    drift = state.drifted()
    if drift:
        names = ", ".join(m.path.name for m in drift)
        raise CheckFailed(
            f"applied migration changed since it was applied: {names} "
            "(restore the file as applied, and put the change in a new migration)"
        )
    missing = state.missing_files()
    if missing:
        raise CheckFailed(
            f"applied migration has no file in migrations/: {', '.join(missing)} "
            "(was it applied from another checkout?)"
        )
    to_apply = state.repeatables_to_apply()
    done: set[str] = set()
    steps: list[Step] = []

    def add_repeatables(names: set[str]) -> None:
        for name in dependency_order(state.repeatables, names):
            if name in to_apply and name not in done:
                obj = state.repeatables[name]
                action = "apply" if state.repeatable_state(name) == "pending" else "reapply"
                steps.append(Step("repeatable", name, action, True, obj.path))
                done.add(name)

    for migration in state.pending():
        unknown = [r for r in migration.requires if r not in state.repeatables]
        if unknown:
            raise UsageError(f"{migration.path.name}: requires {unknown[0]}, which has no file under sql/")
        add_repeatables(set(migration.requires))
        steps.append(Step("migration", migration.id, "apply", migration.transactional, migration.path))
    add_repeatables(to_apply)
    return steps


@contextmanager
def migration_lock(url: str, wait_seconds: float) -> Iterator[None]:
    """Hold the advisory lock on a connection of its own: the server releases it if the
    process dies, so no stale lock survives a crash."""
    conn = db.connect(url, autocommit=True, application_name="agentdb migrate lock")
    try:
        deadline = time.monotonic() + wait_seconds
        while not conn.execute("select pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            if time.monotonic() >= deadline:
                holder = conn.execute(
                    "select pid from pg_locks where locktype = 'advisory' and granted "
                    "and ((classid::bigint << 32) | objid::bigint) = %s limit 1",
                    (LOCK_KEY,),
                ).fetchone()
                who = f" (held by backend pid {holder[0]})" if holder else ""
                raise CheckFailed(
                    f"another migration run holds the migration lock{who}; waited {wait_seconds:g}s: "
                    "retry later or raise --lock-wait"
                )
            time.sleep(0.1)
        yield
    finally:
        conn.close()  # ends the session, which releases the lock


def _ensure_meta(conn: psycopg.Connection, url: str) -> None:
    conn.execute(META_DDL)
    conn.commit()
    _ensure_yoyo_tables(url)


def _ensure_yoyo_tables(url: str) -> None:
    """yoyo's own bookkeeping tables, so `yoyo list` sees what agentdb applied."""
    from yoyo import get_backend

    params = psycopg.conninfo.conninfo_to_dict(url)
    dbname = params.pop("dbname", "")
    backend = get_backend(f"postgresql+psycopg:///{quote(str(dbname))}?{urlencode(params)}")
    try:
        backend.ensure_internal_schema_updated()
    finally:
        backend.connection.close()


def _set_timeouts(conn: psycopg.Connection, settings: Settings, local: bool) -> None:
    conn.execute(
        "select set_config('lock_timeout', %s, %s), set_config('statement_timeout', %s, %s)",
        (settings.lock_timeout, local, settings.statement_timeout, local),
    )
    for kind, name in settings.roles.items():  # read by the migration that creates the roles
        conn.execute("select set_config(%s, %s, %s)", (f"agentdb.{kind}_role", name, local))


def _secure(conn: psycopg.Connection) -> None:
    """Ownership, grants and row-level security for whatever the run created (a no-op
    when nothing is missing), in the run's transaction."""
    if conn.execute("select to_regprocedure('ops.secure_objects()') is not null").fetchone()[0]:
        conn.execute("select count(*) from ops.secure_objects()")


def migrate(
    url: str,
    project: Project,
    settings: Settings,
    *,
    dry_run: bool = False,
    on_step: Callable[[Step], None] | None = None,
) -> list[Step]:
    """Apply everything pending. Returns the steps run (or, with dry_run, that would run)."""
    if dry_run:
        with db.connect(url) as conn:
            return plan(read_state(conn, project))
    with migration_lock(url, settings.lock_wait), db.connect(url) as conn:
        _ensure_meta(conn, url)
        state = read_state(conn, project)
        steps = plan(state)
        _run(conn, state, steps, settings, on_step)
        return steps


def _run(conn, state: State, steps: list[Step], settings: Settings, on_step) -> None:
    migrations = {m.id: m for m in state.migrations}
    in_batch = False
    current: Step | None = None
    try:
        for step in steps:
            current = step
            if on_step:
                on_step(step)
            if step.kind == "repeatable":
                if not in_batch:
                    _set_timeouts(conn, settings, local=True)
                    in_batch = True
                _apply_repeatable(conn, state.repeatables[step.name])
                continue
            migration = migrations[step.name]
            if migration.transactional:
                if not in_batch:
                    _set_timeouts(conn, settings, local=True)
                    in_batch = True
                started = time.monotonic()
                conn.execute(migration.sql)
                _record_applied(conn, migration, started)
            else:
                conn.commit()
                in_batch = False
                _run_outside_transaction(conn, migration.statements[0], settings)
                _record_applied(conn, migration, time.monotonic())
                conn.commit()
        if steps:
            _restore_dropped(conn, state, on_step)
            _secure(conn)
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        where = current.path.name if current else None
        raise CheckFailed(describe_pg_error(exc, where)) from exc


def _restore_dropped(conn, state: State, on_step) -> None:
    """A migration may drop repeatable objects with what they depend on (drop ... cascade);
    re-create, in this run's transaction, every one that is gone."""
    present = _present_objects(conn, state.repeatables.values())
    gone = {name for name in state.repeatables if name not in present}
    for name in dependency_order(state.repeatables, gone):
        if name in present:
            continue
        obj = state.repeatables[name]
        if on_step:
            on_step(Step("repeatable", name, "reapply", True, obj.path))
        _apply_repeatable(conn, obj)


def _run_outside_transaction(conn: psycopg.Connection, statement: str, settings: Settings) -> None:
    conn.autocommit = True
    try:
        _set_timeouts(conn, settings, local=False)
        conn.execute(statement)
    finally:
        conn.execute("reset lock_timeout; reset statement_timeout")
        conn.autocommit = False


def _record_applied(conn: psycopg.Connection, migration: MigrationFile, started: float) -> None:
    from yoyo.migrations import get_migration_hash

    duration = int((time.monotonic() - started) * 1000)
    conn.execute(
        "insert into agentdb_meta.applied_migrations (migration_id, checksum, duration_ms) values (%s, %s, %s)",
        (migration.id, migration.checksum, duration),
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    conn.execute(
        "insert into public._yoyo_migration (migration_hash, migration_id, applied_at_utc) values (%s, %s, %s)",
        (get_migration_hash(migration.id), migration.id, now),
    )
    _yoyo_log(conn, migration.id, "apply")


def _yoyo_log(conn: psycopg.Connection, migration_id: str, operation: str) -> None:
    from yoyo.migrations import get_migration_hash

    conn.execute(
        "insert into public._yoyo_log (id, migration_hash, migration_id, operation, username, hostname, created_at_utc)"
        " values (%s, %s, %s, %s, %s, %s, %s)",
        (
            str(uuid.uuid1()),
            get_migration_hash(migration_id),
            migration_id,
            operation,
            getpass.getuser(),
            socket.gethostname(),
            datetime.now(timezone.utc).replace(tzinfo=None),
        ),
    )


# Errors `create or replace` raises when a definition cannot be replaced in place:
# a function's return type or parameter names changed; a view lost or retyped a column.
_REPLACE_FAILS = {"42P13", "42P16", "42804"}


def _load_vector_library(conn: psycopg.Connection) -> None:
    """Functions that set pgvector parameters (hnsw.iterative_scan) may only be created by
    a non-superuser once the library has defined them: using the type loads it."""
    if conn.execute("select to_regtype('public.vector') is not null").fetchone()[0]:
        conn.execute("select '[0]'::public.vector")


def _apply_repeatable(conn: psycopg.Connection, obj: RepeatableFile) -> None:
    """Create or replace one object; when that cannot work (a changed signature, a view
    that loses a column), drop the old definition and create it anew, all inside the
    run's transaction. A function whose argument list changed would otherwise leave the
    old overload behind, so that one is dropped too."""
    before = _signatures(conn, obj)
    if "hnsw." in obj.sql:
        _load_vector_library(conn)
    try:
        with conn.transaction():
            conn.execute(obj.sql)
    except psycopg.Error as exc:
        if exc.sqlstate not in _REPLACE_FAILS:
            raise
        _drop(conn, obj, before)
        conn.execute(obj.sql)
        before = []
    if obj.kind == "function":
        after = _signatures(conn, obj)
        created = [s for s in after if s not in before]
        if created and before:
            _drop(conn, obj, [s for s in before if s not in created])
    conn.execute(
        """
        insert into agentdb_meta.repeatable_objects (name, kind, checksum) values (%s, %s, %s)
        on conflict (name) do update set checksum = excluded.checksum, kind = excluded.kind,
            applied_at = clock_timestamp()
        """,
        (obj.name, obj.kind, obj.checksum),
    )


def _signatures(conn: psycopg.Connection, obj: RepeatableFile) -> list[str]:
    if obj.kind != "function":
        return [obj.name]
    rows = conn.execute(
        """
        select pg_catalog.pg_get_function_identity_arguments(p.oid)
        from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where n.nspname = %s and p.proname = %s order by 1
        """,
        (obj.schema, obj.object_name),
    ).fetchall()
    return [r[0] for r in rows]


def _drop(conn: psycopg.Connection, obj: RepeatableFile, signatures: list[str]) -> None:
    target = sql.Identifier(obj.schema, obj.object_name)
    if obj.kind == "view":
        if signatures:
            conn.execute(sql.SQL("drop view if exists {}").format(target))
        return
    for args in signatures:
        conn.execute(sql.SQL("drop routine {}({})").format(target, sql.SQL(args)))


def rollback(
    url: str,
    project: Project,
    settings: Settings,
    *,
    steps: int | None = None,
    to: str | None = None,
    everything: bool = False,
    dry_run: bool = False,
    on_step: Callable[[Step], None] | None = None,
) -> list[Step]:
    """Undo applied migrations, newest first, with their .rollback.sql files, in one
    transaction (a `-- transactional: false` rollback file runs alone)."""
    with migration_lock(url, settings.lock_wait), db.connect(url) as conn:
        state = read_state(conn, project)
        targets = _rollback_targets(state, steps, to, everything)
        plan_steps = [Step("migration", m.id, "rollback", _rollback_transactional(m), m.path) for m in targets]
        if dry_run:
            return plan_steps
        by_id = {m.id: m for m in targets}
        in_batch = False
        current = None
        try:
            for step in plan_steps:
                current = step
                if on_step:
                    on_step(step)
                migration = by_id[step.name]
                if step.transactional:
                    if not in_batch:
                        _set_timeouts(conn, settings, local=True)
                        in_batch = True
                    conn.execute(migration.rollback_sql)
                else:
                    conn.commit()
                    in_batch = False
                    _run_outside_transaction(conn, migration.rollback_sql, settings)
                _record_rolled_back(conn, migration.id)
                if not step.transactional:
                    conn.commit()
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            where = current and by_id[current.name].rollback_path.name
            raise CheckFailed(describe_pg_error(exc, where)) from exc
        return plan_steps


def _rollback_transactional(migration: MigrationFile) -> bool:
    from .sqlfiles import header_directives

    text = migration.rollback_sql or ""
    return header_directives(text).get("transactional", "true").strip().lower() != "false"


def _rollback_targets(state: State, steps: int | None, to: str | None, everything: bool) -> list[MigrationFile]:
    chosen = [x for x in (steps is not None, to is not None, everything) if x]
    if len(chosen) != 1:
        raise UsageError("say what to roll back: exactly one of --steps N, --to ID, --all")
    applied = sorted((m for m in state.migrations if m.id in state.applied), key=lambda m: m.id, reverse=True)
    if steps is not None:
        if steps < 1:
            raise UsageError("--steps must be 1 or more")
        targets = applied[:steps]
    elif to is not None:
        known = {m.id for m in state.migrations}
        match = [i for i in known if i == to or i.split("_", 1)[0] == to]
        if not match:
            raise UsageError(f"unknown migration id: {to}")
        if match[0] not in state.applied:
            raise UsageError(f"{match[0]} is not applied, so there is nothing to roll back to")
        targets = [m for m in applied if m.id > match[0]]
    else:
        targets = applied
    without = [m.path.name for m in targets if m.rollback_path is None]
    if without:
        raise UsageError(f"{without[0]} has no .rollback.sql beside it: it cannot be undone")
    return targets


def _record_rolled_back(conn: psycopg.Connection, migration_id: str) -> None:
    conn.execute("delete from agentdb_meta.applied_migrations where migration_id = %s", (migration_id,))
    conn.execute("delete from public._yoyo_migration where migration_id = %s", (migration_id,))
    _yoyo_log(conn, migration_id, "rollback")


def status_rows(state: State) -> list[dict]:
    """One row per migration and repeatable object with its state."""
    rows = []
    for m in state.migrations:
        if m.id not in state.applied:
            rows.append({"kind": "migration", "name": m.id, "state": "pending", "applied_at": None})
            continue
        checksum, at = state.applied[m.id]
        rows.append(
            {"kind": "migration", "name": m.id, "state": "applied" if checksum == m.checksum else "changed", "applied_at": at}
        )
    for mid in state.missing_files():
        rows.append({"kind": "migration", "name": mid, "state": "missing file", "applied_at": state.applied[mid][1]})
    for name in sorted(state.repeatables):
        recorded = state.applied_repeatables.get(name)
        rows.append(
            {
                "kind": state.repeatables[name].kind,
                "name": name,
                "state": state.repeatable_state(name),
                "applied_at": recorded[1] if recorded else None,
            }
        )
    return rows
