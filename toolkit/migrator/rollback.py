"""`rollback`: undo one set's applied migrations, newest first, with their .rollback.sql files."""

from __future__ import annotations

from typing import Callable

from ..errors import UsageError
from ..project import MigrationSet, Project
from . import bookkeeping
from .lock import migration_lock
from .plan import Step, rollback_steps, rollback_targets
from .run import Settings, run_steps
from .state import read_state


def choose_set(project: Project, name: str | None) -> MigrationSet:
    """The set named, else the project's last (an application's own; in agentdb's checkout, agentdb)."""
    sets = project.sets()
    if name is None:
        return sets[-1]
    found = [s for s in sets if s.name == name]
    if not found:
        raise UsageError(f"no migration set {name!r} in this project (sets: {', '.join(s.name for s in sets)})")
    return found[0]


def rollback(url: str, project: Project, settings: Settings, *, steps: int | None = None, to: str | None = None,
             everything: bool = False, dry_run: bool = False, on_step: Callable[[Step], None] | None = None,
             set_name: str | None = None) -> list[Step]:
    """Undo applied migrations of one set in one transaction (a `-- transactional: false`
    rollback file runs alone). Returns the steps run (or, with dry_run, that would run)."""
    migration_set = choose_set(project, set_name)
    with migration_lock(url, settings.lock_wait):
        backend = bookkeeping.open_backend(url, migration_set)
        conn = backend.connection
        try:
            state = read_state(conn, migration_set)
            targets = {m.id: m for m in rollback_targets(state, steps, to, everything)}
            planned = rollback_steps(state, list(targets.values()))
            if dry_run:
                return planned
            run_steps(conn, planned, settings,
                      execute=lambda step: conn.execute(targets[step.name].rollback_sql),
                      record=lambda step, _ms: bookkeeping.record_rolled_back(backend, migration_set,
                                                                              targets[step.name]),
                      on_step=on_step)
            return planned
        finally:
            conn.close()
