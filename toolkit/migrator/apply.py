"""`migrate`: apply every pending migration and changed repeatable object of each set,
agentdb's own first, under the migration lock."""

from __future__ import annotations

from typing import Callable

import psycopg

from .. import db
from ..project import MigrationSet, Project
from . import bookkeeping
from .lock import migration_lock
from .plan import Step, plan
from .repeatables import apply_repeatable, restore_dropped
from .run import Settings, run_steps
from .state import State, load_files, read_state


def _secure(conn: psycopg.Connection) -> None:
    """Ownership, grants and row-level security for whatever the run created (a no-op
    when nothing is missing), in the run's transaction."""
    if conn.execute("select to_regprocedure('ops.secure_objects()') is not null").fetchone()[0]:
        conn.execute("select count(*) from ops.secure_objects()")


def migrate(url: str, project: Project, settings: Settings, *, dry_run: bool = False,
            on_step: Callable[[Step], None] | None = None,
            sets: list[MigrationSet] | None = None) -> list[Step]:
    """Apply everything pending in `sets` (default: the project's sets, agentdb's first).
    Every set is planned before any runs, so drift in one changes nothing in another.
    Returns the steps run (or, with dry_run, that would run)."""
    chosen = project.sets() if sets is None else sets
    if dry_run:
        with db.connect(url) as conn:
            return [step for s in chosen for step in plan(read_state(conn, s))]
    for migration_set in chosen:
        load_files(migration_set)  # a file that cannot be read stops the run before it touches anything
    with migration_lock(url, settings.lock_wait):
        with db.connect(url) as conn:
            bookkeeping.ensure(conn)
            planned = [(s, plan(read_state(conn, s))) for s in chosen]
        done: list[Step] = []
        for migration_set, steps in planned:
            _run_set(url, migration_set, steps, settings, on_step)
            done += steps
        return done


def _run_set(url: str, migration_set: MigrationSet, steps: list[Step], settings: Settings, on_step) -> None:
    backend = bookkeeping.open_backend(url, migration_set)
    conn = backend.connection
    try:
        state: State = read_state(conn, migration_set)
        migrations = {m.id: m for m in state.migrations}

        def execute(step: Step) -> None:
            if step.kind == "repeatable":
                apply_repeatable(conn, migration_set.name, state.repeatables[step.name])
            elif step.transactional:
                conn.execute(migrations[step.name].sql)
            else:
                conn.execute(migrations[step.name].statements[0])

        def record(step: Step, duration_ms: int) -> None:
            if step.kind == "migration":
                bookkeeping.record_applied(backend, migration_set, migrations[step.name], duration_ms)

        def finish() -> None:
            restore_dropped(conn, state, on_step)
            _secure(conn)

        run_steps(conn, steps, settings, execute=execute, record=record, finish=finish, on_step=on_step)
    finally:
        conn.close()
