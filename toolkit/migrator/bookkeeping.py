"""What each migration set has applied: agentdb's checksums (bookkeeping.sql) and
yoyo-migrations' own tables, kept in step through yoyo's public backend API."""

from __future__ import annotations

import importlib.resources
from datetime import datetime
from urllib.parse import quote, urlencode

import psycopg

from ..project import MigrationSet
from ..sqlfiles import MigrationFile, RepeatableFile


def _yoyo_migration(migration_set: MigrationSet | str, migration: MigrationFile):
    """The yoyo Migration that records a file: yoyo's own for agentdb's set (so a plain
    `yoyo list` agrees); for another set one whose id is `<set>/<id>`, so sets that share a
    migration number never share a row in yoyo's one table (its log table is shared, so
    a table per set cannot be made through yoyo's schema upgrade)."""
    if isinstance(migration_set, str):  # a set given by name
        migration_set = MigrationSet(migration_set, migration.path.parent.parent)
    if migration_set.is_core:
        return migration.yoyo
    from yoyo.migrations import Migration

    return Migration(f"{migration_set.name}/{migration.id}", str(migration.path), str(migration.path.parent))


def open_backend(url: str, migration_set: MigrationSet):
    """A yoyo backend; its psycopg connection runs the set's whole migration run, so yoyo's
    bookkeeping rows commit (or roll back) with the steps they record."""
    from yoyo import get_backend

    params = psycopg.conninfo.conninfo_to_dict(url)
    dbname = params.pop("dbname", "")
    params["application_name"] = "agentdb migrate"
    backend = get_backend(f"postgresql+psycopg:///{quote(str(dbname))}?{urlencode(params)}")
    backend.ensure_internal_schema_updated()
    conn = backend.connection
    conn.prepare_threshold = None  # works through a transaction-mode pooler
    conn.autocommit = False
    return backend


def ensure(conn: psycopg.Connection) -> None:
    """Create or upgrade agentdb_meta (idempotent), committed."""
    conn.execute(importlib.resources.files(__package__).joinpath("bookkeeping.sql").read_text(encoding="utf-8"))
    conn.commit()


def recorded(conn: psycopg.Connection, set_name: str) -> tuple[dict[str, tuple[str, datetime]],
                                                              dict[str, tuple[str, datetime]]]:
    """(migration id -> (checksum, applied_at), repeatable name -> (checksum, applied_at))."""
    if not conn.execute("select to_regclass('agentdb_meta.applied_migrations') is not null").fetchone()[0]:
        return {}, {}
    has_sets = conn.execute(
        "select count(*) > 0 from pg_catalog.pg_attribute where attrelid = 'agentdb_meta.applied_migrations'::regclass"
        " and attname = 'migration_set' and not attisdropped").fetchone()[0]
    if not has_sets:  # bookkeeping from before migration sets: all of it is agentdb's
        if set_name != "agentdb":
            return {}, {}
        where = ""
    else:
        where = " where migration_set = %(set)s"
    migrations = {mid: (checksum, at) for mid, checksum, at in conn.execute(
        "select migration_id, checksum, applied_at from agentdb_meta.applied_migrations" + where, {"set": set_name})}
    objects = {name: (checksum, at) for name, checksum, at in conn.execute(
        "select name, checksum, applied_at from agentdb_meta.repeatable_objects" + where, {"set": set_name})}
    return migrations, objects


def _name(migration_set: MigrationSet | str) -> str:
    return migration_set if isinstance(migration_set, str) else migration_set.name


def record_applied(backend, migration_set: MigrationSet | str, migration: MigrationFile, duration_ms: int) -> None:
    backend.connection.execute(
        "insert into agentdb_meta.applied_migrations (migration_set, migration_id, checksum, duration_ms)"
        " values (%s, %s, %s, %s)", (_name(migration_set), migration.id, migration.checksum, duration_ms))
    recorded = _yoyo_migration(migration_set, migration)
    backend.mark_one(recorded, log=False)
    backend.log_migration(recorded, "apply")


def record_rolled_back(backend, migration_set: MigrationSet | str, migration: MigrationFile) -> None:
    backend.connection.execute("delete from agentdb_meta.applied_migrations where migration_set = %s"
                               " and migration_id = %s", (_name(migration_set), migration.id))
    recorded = _yoyo_migration(migration_set, migration)
    backend.unmark_one(recorded, log=False)
    backend.log_migration(recorded, "rollback")


def record_repeatable(conn: psycopg.Connection, set_name: str, obj: RepeatableFile) -> None:
    conn.execute(
        """
        insert into agentdb_meta.repeatable_objects (migration_set, name, kind, checksum) values (%s, %s, %s, %s)
        on conflict (migration_set, name) do update set checksum = excluded.checksum, kind = excluded.kind,
            applied_at = clock_timestamp()
        """,
        (set_name, obj.name, obj.kind, obj.checksum),
    )
