"""`status`: one row per migration and repeatable object of each set, and a summary line."""

from __future__ import annotations

from .state import State


def status_rows(states: State | list[State]) -> list[dict]:
    rows = []
    for state in [states] if isinstance(states, State) else states:
        name = state.migration_set.name

        def row(kind, obj, value, at):
            return {"kind": kind, "name": obj, "state": value, "applied_at": at, "set": name}

        for m in state.migrations:
            recorded = state.applied.get(m.id)
            if recorded is None:
                rows.append(row("migration", m.id, "pending", None))
            else:
                rows.append(row("migration", m.id, "applied" if recorded[0] == m.checksum else "changed", recorded[1]))
        for mid in state.missing_files():
            rows.append(row("migration", mid, "missing file", state.applied[mid][1]))
        for obj in sorted(state.repeatables):
            recorded = state.applied_repeatables.get(obj)
            rows.append(row(state.repeatables[obj].kind, obj, state.repeatable_state(obj),
                            recorded[1] if recorded else None))
    return rows


def summary(rows: list[dict]) -> str:
    def count(kinds, value):
        return sum(1 for r in rows if r["kind"] in kinds and r["state"] == value)

    migrations = ("migration",)
    objects = ("function", "view")
    return "; ".join([
        f"migrations: {count(migrations, 'applied')} applied, {count(migrations, 'pending')} pending, "
        f"{count(migrations, 'changed')} changed, {count(migrations, 'missing file')} missing file",
        f"repeatable objects: {count(objects, 'current')} current, {count(objects, 'pending')} pending, "
        f"{count(objects, 'changed')} changed, {count(objects, 'missing')} missing",
    ])
