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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import psycopg
from psycopg import sql

from . import db, migrator
from .project import MigrationSet, Project
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


def repeatables_at(state: migrator.State, ids: Iterable[str]) -> frozenset[str] | None:
    """The repeatable objects a database with these migrations of the set has: all of them
    (None) once every migration is in, as `migrate` leaves it; before that, those the
    migrations require and those the target records (a function may read a table a later
    migration makes, so not all of them can exist yet)."""
    ids = set(ids)
    if ids >= {m.id for m in state.migrations}:
        return None
    chosen = [m for m in state.migrations if m.id in ids]
    return frozenset(required_repeatables(chosen, state.repeatables, state.applied_repeatables))


@dataclass(frozen=True)
class Part:
    """Some of one migration set: these migrations, these repeatable objects (None: all)."""

    migration_set: MigrationSet
    migration_ids: tuple[str, ...]
    repeatables: frozenset[str] | None = None


def applied_part(state: migrator.State) -> Part:
    """What a set's bookkeeping says it has: its applied migrations, the repeatable objects
    it records and those the migrations require."""
    applied = tuple(m.id for m in state.migrations if m.id in state.applied)
    names = required_repeatables([m for m in state.migrations if m.id in state.applied], state.repeatables,
                                 state.applied_repeatables)
    return Part(state.migration_set, applied, frozenset(names))


@dataclass(frozen=True, eq=False)
class PartialProject(Project):
    """A project whose sets are partial copies of another's (see partial_project)."""

    partial: tuple[MigrationSet, ...] = ()
    base: dict = field(default_factory=dict)

    def sets(self) -> list[MigrationSet]:
        return list(self.partial)

    def own_sets(self) -> list[MigrationSet]:
        return list(self.partial)

    def settings(self) -> dict:
        return self.base


@contextmanager
def partial_project(project: Project, parts: Iterable[Part]) -> Iterator[PartialProject]:
    """A project made of the given parts, each a set under its own name whose files are
    links to the real ones (so checksums agree), in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="agentdb-partial-") as tmp:
        sets = []
        for part in parts:
            root = Path(tmp) / part.migration_set.name
            (root / "migrations").mkdir(parents=True)
            (root / "sql").mkdir()
            wanted = set(part.migration_ids)
            if part.migration_set.migrations_dir.is_dir():
                for migration in load_migrations(part.migration_set.migrations_dir):
                    if migration.id in wanted:
                        _link(migration.path, root / "migrations")
                        if migration.rollback_path:
                            _link(migration.rollback_path, root / "migrations")
            objects = load_repeatables(part.migration_set.sql_dir, outside=not part.migration_set.is_core)
            for name in (set(objects) if part.repeatables is None else part.repeatables):
                folder = root / "sql" / ("functions" if objects[name].kind == "function" else "views")
                folder.mkdir(exist_ok=True)
                _link(objects[name].path, folder)
            sets.append(MigrationSet(part.migration_set.name, root))
        yield PartialProject(Path(tmp), tuple(sets), project.settings())


def _link(path: Path, folder: Path) -> None:
    (folder / path.name).symlink_to(path.resolve())


def run_settings(project: Project) -> migrator.Settings:
    """The migrator settings `agentdb migrate` uses for this project (its role names)."""
    configured = project.settings()
    roles = {k: configured[f"{k}_role"] for k in ("owner", "app", "readonly", "provisioning")
             if configured.get(f"{k}_role")}
    return migrator.Settings(roles=roles)


def target_settings(conn: psycopg.Connection, project: Project) -> migrator.Settings:
    """The settings to replay a target's migrations with: its role names as it recorded
    them (ops.roles, whatever they were migrated with), else the project's."""
    settings = run_settings(project)
    if conn.execute("select to_regclass('ops.roles') is not null").fetchone()[0]:
        settings.roles.update({kind: name for kind, name in conn.execute("select kind, name from ops.roles")})
    return settings


def build(url: str, project: Project, parts: Iterable[Part], settings: migrator.Settings | None = None) -> None:
    """Apply the parts (in order) to the database at `url` with the migrator itself."""
    with partial_project(project, parts) as partial:
        migrator.migrate(url, partial, settings or run_settings(project), sets=partial.sets())
