"""`agentdb baseline`: adopt a database that already holds (part of) the schema, built
without agentdb (by psql, another tool, or by hand).

The migrations are replayed one by one into a scratch database; after each, its catalog
is compared with the target's. The longest prefix whose every object is in the target
as built (the target may hold more) is recorded as applied, with the files' checksums,
in agentdb's bookkeeping and yoyo's, as `migrate` would have recorded it; so are the
repeatable objects of that prefix whose definitions match. What the target holds beyond
the prefix, or differently, is listed. No matching prefix: nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from . import catalog, db, migrator, scratch
from .migrator import bookkeeping
from .project import Project
from .errors import CheckFailed, UsageError


@dataclass
class Adoption:
    migrations: dict[str, list[str]]  # set name -> migration ids recorded (or to record)
    repeatables: dict[str, list[str]]
    differences: list[catalog.Difference] = field(default_factory=list)
    recorded: bool = False

    @property
    def migration_ids(self) -> list[str]:
        return [mid for ids in self.migrations.values() for mid in ids]


def _object_rows(snap: catalog.Snapshot, name: str, kind: str) -> dict:
    if kind == "view":
        return {k: v for k, v in snap.items() if k == f"view {name}" or k.startswith(f"column {name}.")}
    return {k: v for k, v in snap.items() if k.startswith((f"function {name}(", f"procedure {name}("))}


def _prefixes(states: list[migrator.State]):
    """Every prefix of the sets' migrations in order, as parts: the sets before complete."""
    complete: list[scratch.Part] = []
    for state in states:
        ids = [m.id for m in state.migrations]
        for k in range(1, len(ids) + 1):
            yield complete + [scratch.Part(state.migration_set, tuple(ids[:k]), scratch.repeatables_at(state, ids[:k]))]
        complete = complete + [scratch.Part(state.migration_set, tuple(ids), None)]


def adopt(url: str, project: Project, settings: migrator.Settings, *, dry_run: bool = False,
          scratch_url: str | None = None, on_prefix=None) -> Adoption:
    with db.connect(url) as conn:
        states = [migrator.read_state(conn, s) for s in project.sets()]
        recorded = sum(len(st.applied) for st in states)
        if recorded:
            raise UsageError(f"the database already records {recorded} applied migration(s): "
                             "baseline adopts a database agentdb has never migrated (see agentdb status)")
        target = catalog.snapshot(conn)
        settings = replace(settings, roles={**settings.roles, **scratch.target_settings(conn, project).roles})
    best: tuple[list[scratch.Part], catalog.Snapshot] | None = None
    first_misses: list[catalog.Difference] = []
    with scratch.scratch_database(scratch_url or url, "baseline") as work:
        for parts in _prefixes(states):
            scratch.build(work, project, parts, settings)
            with db.connect(work) as scratch_conn:
                expected = catalog.snapshot(scratch_conn)
            misses = catalog.missing_or_changed(expected, target)
            if on_prefix:
                on_prefix(parts[-1].migration_ids[-1], not misses)
            if not misses:
                best = (parts, expected)
            elif best is None and not first_misses:
                first_misses = misses
    if best is None:
        shown = "; ".join(f"{d.object}: {d.what} {d.actual}" for d in first_misses[:3])
        first = states[0].migrations[0].id if states and states[0].migrations else "the first migration"
        raise CheckFailed(f"the database matches no prefix of the migrations (already {first} differs: {shown}); "
                          "nothing recorded")
    parts, expected = best
    adoption = Adoption({}, {}, catalog.compare(expected, target))
    for part, state in zip(parts, states):
        names = sorted(state.repeatables if part.repeatables is None else part.repeatables)
        adoption.migrations[part.migration_set.name] = list(part.migration_ids)
        adoption.repeatables[part.migration_set.name] = [
            n for n in names if _object_rows(expected, n, state.repeatables[n].kind)
            and _object_rows(expected, n, state.repeatables[n].kind) == _object_rows(target, n, state.repeatables[n].kind)]
    if not dry_run:
        _record(url, states, adoption, settings)
        adoption.recorded = True
    return adoption


def _record(url: str, states: list[migrator.State], adoption: Adoption, settings: migrator.Settings) -> None:
    """Bookkeeping rows as `migrate` writes them (agentdb's and yoyo's, through the
    migrator's bookkeeping module), one transaction per set, under the migration lock."""
    with migrator.migration_lock(url, settings.lock_wait):
        with db.connect(url) as conn:
            bookkeeping.ensure(conn)
        for state in states:
            name = state.migration_set.name
            if name not in adoption.migrations:
                continue
            backend = bookkeeping.open_backend(url, state.migration_set)
            try:
                conn = backend.connection
                if bookkeeping.recorded(conn, name)[0]:
                    raise CheckFailed("another run recorded migrations while baseline compared catalogs; "
                                      "nothing recorded for set " + name)
                by_id = {m.id: m for m in state.migrations}
                for mid in adoption.migrations[name]:
                    bookkeeping.record_applied(backend, name, by_id[mid], 0)
                for obj_name in adoption.repeatables[name]:
                    bookkeeping.record_repeatable(conn, name, state.repeatables[obj_name])
                conn.commit()
            finally:
                backend.connection.close()
