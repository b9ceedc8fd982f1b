"""What a migration set's files say beside what the database recorded for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from ..project import MigrationSet, Project, core_set
from ..sqlfiles import MigrationFile, RepeatableFile, load_migrations, load_repeatables
from . import bookkeeping


@dataclass
class State:
    migrations: list[MigrationFile]
    repeatables: dict[str, RepeatableFile]
    applied: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    applied_repeatables: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    present_objects: set[str] = field(default_factory=set)
    migration_set: MigrationSet = field(default_factory=core_set)

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


def present_objects(conn: psycopg.Connection, names) -> set[str]:
    """Which of these schema.name objects (routines, views) the catalog holds."""
    rows = conn.execute(
        """
        select n.nspname || '.' || p.proname from pg_catalog.pg_proc p
        join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        union
        select n.nspname || '.' || c.relname from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.relkind in ('v', 'm')
        """
    ).fetchall()
    return {r[0] for r in rows} & set(names)


def load_files(migration_set: MigrationSet) -> tuple[list[MigrationFile], dict[str, RepeatableFile]]:
    migrations = load_migrations(migration_set.migrations_dir) if migration_set.migrations_dir.is_dir() else []
    if migration_set.is_core and not migrations:
        load_migrations(migration_set.migrations_dir)  # agentdb's own set must have its files: say which are missing
    return migrations, load_repeatables(migration_set.sql_dir, outside=not migration_set.is_core)


def read_state(conn: psycopg.Connection, migration_set: MigrationSet | Project | None = None) -> State:
    """The state of one set (agentdb's own when none is given; a Project means its last set)."""
    if isinstance(migration_set, Project):
        migration_set = migration_set.sets()[-1]
    migration_set = migration_set or core_set()
    migrations, repeatables = load_files(migration_set)
    applied, applied_repeatables = bookkeeping.recorded(conn, migration_set.name)
    return State(migrations, repeatables, applied, applied_repeatables,
                 present_objects(conn, repeatables), migration_set)


def read_states(conn: psycopg.Connection, project: Project) -> list[State]:
    """Every set of the project, agentdb's own first."""
    return [read_state(conn, s) for s in project.sets()]
