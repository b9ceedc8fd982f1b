"""Scratch databases and partial projects: what drift, round-trip, rehearse and baseline
build their expected schemas in.

A scratch database is made with `create database` on the target's server (so roles,
extensions and the server version are the target's) and dropped with `(force)` after
use, also when the work in it fails. A partial project is a temporary directory holding
links to some of a project's migrations and repeatable objects, so the migrator's own
`migrate` builds exactly that part, the way it would have been applied.
"""

from __future__ import annotations

import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import psycopg
from psycopg import sql

from . import db, migrator
from .config import Project
from .errors import CheckFailed
from .sqlfiles import MigrationFile, RepeatableFile, dependency_order, load_migrations, load_repeatables


def database_url(url: str, dbname: str) -> str:
    return psycopg.conninfo.make_conninfo(url, dbname=dbname)


@contextmanager
def scratch_database(server_url: str, purpose: str = "scratch", template: str | None = None) -> Iterator[str]:
    """A new, empty database on the server of `server_url` (or a copy of `template`, which
    needs no other session connected to it); yields its URL and drops it afterwards."""
    name = f"agentdb_{purpose}_{uuid.uuid4().hex[:10]}"
    with db.connect(server_url, autocommit=True, application_name="agentdb scratch") as conn:
        query = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            query = sql.SQL("create database {} template {}").format(sql.Identifier(name), sql.Identifier(template))
        try:
            conn.execute(query)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise CheckFailed("cannot create a scratch database on this server (the role needs CREATEDB): "
                              "pass --scratch-url with a server where it can, e.g. the embedded one") from exc
        except psycopg.errors.ObjectInUse as exc:
            raise CheckFailed(f"cannot copy database {template}: other sessions are connected to it "
                              "(a template copy needs it idle; leave out --copy to work on a replay)") from exc
    try:
        yield database_url(server_url, name)
    finally:
        with db.connect(server_url, autocommit=True, application_name="agentdb scratch") as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def required_repeatables(migrations: Iterable[MigrationFile], repeatables: dict[str, RepeatableFile],
                         also: Iterable[str] = ()) -> set[str]:
    """The repeatable objects `migrations` name with `-- requires:` (and `also`), with
    everything they depend on."""
    names = {r for m in migrations for r in m.requires if r in repeatables} | {a for a in also if a in repeatables}
    return set(dependency_order(repeatables, names))


def repeatables_at(state: migrator.State, ids: Iterable[str]) -> set[str] | None:
    """The repeatable objects a database with these migrations has: all of them (None) once
    every migration is in, as `migrate` leaves it; before that, those the migrations
    require and those the target records (a function may read a table a later migration
    makes, so not all of them can exist yet)."""
    ids = set(ids)
    if ids >= {m.id for m in state.migrations}:
        return None
    chosen = [m for m in state.migrations if m.id in ids]
    return required_repeatables(chosen, state.repeatables, state.applied_repeatables)


@contextmanager
def partial_project(project: Project, migration_ids: Iterable[str], repeatable_names: Iterable[str] | None,
                    extra: Path | None = None) -> Iterator[Project]:
    """A project with only the given migrations (and their rollback files) and the given
    repeatable objects (None: all of them), as links to the real files, so checksums agree.
    `extra`, a migration file of its own, is added (round-trips of a file not yet in place)."""
    wanted = set(migration_ids)
    with tempfile.TemporaryDirectory(prefix="agentdb-partial-") as tmp:
        root = Path(tmp)
        (root / "migrations").mkdir()
        for migration in load_migrations(project.migrations_dir):
            if migration.id in wanted:
                _link(migration.path, root / "migrations")
                if migration.rollback_path:
                    _link(migration.rollback_path, root / "migrations")
        if extra is not None:
            _link(extra, root / "migrations")
        objects = load_repeatables(project.sql_dir)
        chosen = set(objects) if repeatable_names is None else set(repeatable_names)
        for name in chosen:
            obj = objects[name]
            folder = root / "sql" / ("functions" if obj.kind == "function" else "views")
            folder.mkdir(parents=True, exist_ok=True)
            _link(obj.path, folder)
        (root / "sql").mkdir(exist_ok=True)
        yield Project(root)


def _link(path: Path, folder: Path) -> None:
    (folder / path.name).symlink_to(path.resolve())


def run_settings(project: Project) -> migrator.Settings:
    """The migrator settings `agentdb migrate` uses for this project (its role names)."""
    configured = project.settings()
    roles = {k: configured[f"{k}_role"] for k in ("owner", "app", "readonly") if configured.get(f"{k}_role")}
    return migrator.Settings(roles=roles)


def build(url: str, project: Project, migration_ids: Iterable[str], repeatable_names: Iterable[str] | None,
          settings: migrator.Settings | None = None) -> None:
    """Apply the given migrations and repeatable objects to the database at `url` with the
    migrator itself."""
    with partial_project(project, migration_ids, repeatable_names) as part:
        migrator.migrate(url, part, settings or run_settings(project))
