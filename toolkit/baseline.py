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

import time
from dataclasses import dataclass, field

from . import catalog, db, migrator, scratch
from .config import Project
from .errors import CheckFailed, UsageError


@dataclass
class Adoption:
    migrations: list[str]
    repeatables: list[str]
    differences: list[catalog.Difference] = field(default_factory=list)
    recorded: bool = False


def _object_rows(snap: catalog.Snapshot, name: str, kind: str) -> dict:
    if kind == "view":
        return {k: v for k, v in snap.items() if k == f"view {name}" or k.startswith(f"column {name}.")}
    return {k: v for k, v in snap.items() if k.startswith((f"function {name}(", f"procedure {name}("))}


def adopt(url: str, project: Project, settings: migrator.Settings, *, dry_run: bool = False,
          scratch_url: str | None = None, on_prefix=None) -> Adoption:
    with db.connect(url) as conn:
        state = migrator.read_state(conn, project)
        if state.applied:
            raise UsageError(f"the database already records {len(state.applied)} applied migration(s): "
                             "baseline adopts a database agentdb has never migrated (see agentdb status)")
        target = catalog.snapshot(conn)
    best: tuple[int, catalog.Snapshot, set[str] | None] | None = None
    first_misses: list[catalog.Difference] = []
    ids = [m.id for m in state.migrations]
    with scratch.scratch_database(scratch_url or url, "baseline") as work:
        for k in range(1, len(ids) + 1):
            names = scratch.repeatables_at(state, ids[:k])
            scratch.build(work, project, ids[:k], names, settings)
            with db.connect(work) as scratch_conn:
                expected = catalog.snapshot(scratch_conn)
            misses = catalog.missing_or_changed(expected, target)
            if on_prefix:
                on_prefix(ids[k - 1], not misses)
            if not misses:
                best = (k, expected, names)
            elif k == 1:
                first_misses = misses
    if best is None:
        shown = "; ".join(f"{d.object}: {d.what} {d.actual}" for d in first_misses[:3])
        raise CheckFailed(f"the database matches no prefix of the migrations (already {ids[0]} differs: {shown}); "
                          "nothing recorded")
    k, expected, names = best
    chosen = sorted(state.repeatables if names is None else names)
    matching = [n for n in chosen if _object_rows(expected, n, state.repeatables[n].kind)
                and _object_rows(expected, n, state.repeatables[n].kind)
                == _object_rows(target, n, state.repeatables[n].kind)]
    adoption = Adoption(ids[:k], matching, catalog.compare(expected, target))
    if not dry_run:
        _record(url, state, adoption, settings)
        adoption.recorded = True
    return adoption


def _record(url: str, state: migrator.State, adoption: Adoption, settings: migrator.Settings) -> None:
    """Bookkeeping rows as `migrate` writes them, in one transaction, under the migration lock."""
    by_id = {m.id: m for m in state.migrations}
    with migrator.migration_lock(url, settings.lock_wait), db.connect(url) as conn:
        migrator._ensure_meta(conn, url)
        if conn.execute("select count(*) from agentdb_meta.applied_migrations").fetchone()[0]:
            raise CheckFailed("another run recorded migrations while baseline compared catalogs; nothing recorded")
        for mid in adoption.migrations:
            migrator._record_applied(conn, by_id[mid], time.monotonic())
        for name in adoption.repeatables:
            obj = state.repeatables[name]
            conn.execute("insert into agentdb_meta.repeatable_objects (name, kind, checksum) values (%s, %s, %s)",
                         (obj.name, obj.kind, obj.checksum))
        conn.commit()
