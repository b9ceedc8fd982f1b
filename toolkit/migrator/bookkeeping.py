"""What each migration set has applied: agentdb's checksums (bookkeeping.sql) and
yoyo-migrations' own tables, kept in step through yoyo's public backend API."""

from __future__ import annotations

import importlib.resources
from datetime import datetime
from urllib.parse import quote, urlencode

import psycopg

from ..project import MigrationSet
from ..sqlfiles import MigrationFile, RepeatableFile


def yoyo_table(migration_set: MigrationSet) -> str:
    """yoyo's migration table of a set: its default name for agentdb's own set (so a
    plain `yoyo list` agrees), a table of its own for every other set."""
    return "_yoyo_migration" if migration_set.is_core else f"_yoyo_migration_{migration_set.name}"


def open_backend(url: str, migration_set: MigrationSet):
    """A yoyo backend for the set; its psycopg connection runs the whole migration run, so
    yoyo's bookkeeping rows commit (or roll back) with the steps they record."""
    from yoyo import get_backend

    params = psycopg.conninfo.conninfo_to_dict(url)
    dbname = params.pop("dbname", "")
    params["application_name"] = "agentdb migrate"
    backend = get_backend(f"postgresql+psycopg:///{quote(str(dbname))}?{urlencode(params)}",
                          migration_table=yoyo_table(migration_set))
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


def record_applied(backend, set_name: str, migration: MigrationFile, duration_ms: int) -> None:
    backend.connection.execute(
        "insert into agentdb_meta.applied_migrations (migration_set, migration_id, checksum, duration_ms)"
        " values (%s, %s, %s, %s)", (set_name, migration.id, migration.checksum, duration_ms))
    backend.mark_one(migration.yoyo, log=False)
    backend.log_migration(migration.yoyo, "apply")


def record_rolled_back(backend, set_name: str, migration: MigrationFile) -> None:
    backend.connection.execute("delete from agentdb_meta.applied_migrations where migration_set = %s"
                               " and migration_id = %s", (set_name, migration.id))
    backend.unmark_one(migration.yoyo, log=False)
    backend.log_migration(migration.yoyo, "rollback")


def record_repeatable(conn: psycopg.Connection, set_name: str, obj: RepeatableFile) -> None:
    conn.execute(
        """
        insert into agentdb_meta.repeatable_objects (migration_set, name, kind, checksum) values (%s, %s, %s, %s)
        on conflict (migration_set, name) do update set checksum = excluded.checksum, kind = excluded.kind,
            applied_at = clock_timestamp()
        """,
        (set_name, obj.name, obj.kind, obj.checksum),
    )
