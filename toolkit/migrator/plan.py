"""The steps a run would take, in order: migrate's plan, and which migrations a rollback undoes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CheckFailed, UsageError
from ..sqlfiles import MigrationFile, dependency_order
from .state import State


@dataclass(frozen=True)
class Step:
    kind: str  # migration | repeatable
    name: str
    action: str  # apply | reapply | rollback
    transactional: bool
    path: Path
    migration_set: str = "agentdb"


def plan(state: State) -> list[Step]:
    """The steps `migrate` would run for one set, in order. Refuses while drift exists."""
    set_name = state.migration_set.name
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
            f"(set {set_name}; was it applied from another checkout?)"
        )
    to_apply = state.repeatables_to_apply()
    done: set[str] = set()
    steps: list[Step] = []

    def add_repeatables(names: set[str]) -> None:
        for name in dependency_order(state.repeatables, names):
            if name in to_apply and name not in done:
                action = "apply" if state.repeatable_state(name) == "pending" else "reapply"
                steps.append(Step("repeatable", name, action, True, state.repeatables[name].path, set_name))
                done.add(name)

    for migration in state.pending():
        unknown = [r for r in migration.requires if r not in state.repeatables]
        if unknown and state.migration_set.is_core:
            raise UsageError(f"{migration.path.name}: requires {unknown[0]}, which has no file under sql/")
        # in an application's set, a name with no file here is agentdb's, applied before this set
        add_repeatables({r for r in migration.requires if r in state.repeatables})
        steps.append(Step("migration", migration.id, "apply", migration.transactional, migration.path, set_name))
    add_repeatables(to_apply)
    return steps


def rollback_targets(state: State, steps: int | None, to: str | None, everything: bool) -> list[MigrationFile]:
    """The applied migrations to undo, newest first."""
    chosen = [x for x in (steps is not None, to is not None, everything) if x]
    if len(chosen) != 1:
        raise UsageError("say what to roll back: exactly one of --steps N, --to ID, --all")
    applied = sorted((m for m in state.migrations if m.id in state.applied), key=lambda m: m.id, reverse=True)
    if steps is not None:
        if steps < 1:
            raise UsageError("--steps must be 1 or more")
        targets = applied[:steps]
    elif to is not None:
        match = [m.id for m in state.migrations if m.id == to or m.id.split("_", 1)[0] == to]
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


def rollback_steps(state: State, targets: list[MigrationFile]) -> list[Step]:
    return [Step("migration", m.id, "rollback", m.rollback_transactional, m.rollback_path or m.path,
                 state.migration_set.name) for m in targets]
