"""`agentdb migrate --round-trip`: up, down, up for each pending (or given) migration on
a scratch database; the catalog after the second up must equal the first (the drift
comparison), and a migration whose header says `-- lossless: true` must give back,
after its down, every row that was there before its up.

The scratch database is a replay of the target's applied migrations (so it works while
the target is live), or with `copy` a `create database … template` copy of the target
(which needs the target idle) so the rows checked are the target's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import catalog, db, headers, migrator, scratch
from .project import Project
from .errors import AgentdbError, UsageError
from .sqlfiles import MigrationFile

FINGERPRINT = """
select pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)
from pg_catalog.pg_class as c
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  and n.nspname not like 'agentdb\\_meta%' and c.relname not like '\\_yoyo%' and c.relname <> 'yoyo_lock'
"""


@dataclass
class Result:
    migration: str
    problems: list[dict] = field(default_factory=list)  # {what, object, expected, actual}

    @property
    def passed(self) -> bool:
        return not self.problems


def lossless(migration: MigrationFile) -> bool:
    return (headers.read(migration.sql).get("lossless") or "").strip().lower() in ("true", "yes")


def choose(state: migrator.State, given: tuple[str, ...]) -> list[MigrationFile]:
    """The migrations to check: the given ids (or numbers), else the pending ones."""
    if not given:
        return state.pending()
    chosen = []
    for wanted in given:
        match = [m for m in state.migrations if wanted in (m.id, m.id[:4])]
        if not match:
            raise UsageError(f"unknown migration id: {wanted}")
        chosen.append(match[0])
    return sorted(set(chosen), key=lambda m: m.id)


def round_trip(url: str, project: Project, *, given: tuple[str, ...] = (), copy: bool = False,
               scratch_url: str | None = None, on_migration=None, set_name: str | None = None) -> list[Result]:
    """Round-trip the chosen migrations of one set (the project's own by default) in id
    order on one scratch database, with the sets before it as applied and the set's
    migrations between the chosen ones applied plainly; one Result per chosen migration."""
    target_set = migrator.choose_set(project, set_name)
    with db.connect(url) as conn:
        earlier = [scratch.applied_part(migrator.read_state(conn, s))
                   for s in project.sets()[:project.sets().index(target_set)]]
        state = migrator.read_state(conn, target_set)
        targets = choose(state, given)
        template = conn.info.dbname
        settings = scratch.target_settings(conn, project)
    if not targets:
        return []
    without = [m.path.name for m in targets if m.rollback_path is None]
    if without:
        raise UsageError(f"{without[0]} has no .rollback.sql beside it: it cannot be round-tripped")
    if copy and any(m.id in state.applied for m in state.migrations if m.id >= targets[0].id):
        raise UsageError("--copy round-trips pending migrations only: the copy already has the others applied")

    def parts(ids: list[str]) -> list[scratch.Part]:
        return earlier + [scratch.Part(target_set, tuple(ids), scratch.repeatables_at(state, ids))]

    chosen = {m.id for m in targets}
    results = []
    with scratch.scratch_database(scratch_url or url, "roundtrip", template=template if copy else None) as work:
        done = [m.id for m in state.migrations if m.id < targets[0].id and (m.id in state.applied or not copy)]
        if not copy:
            scratch.build(work, project, parts(done), settings)
        for migration in (m for m in state.migrations if targets[0].id <= m.id <= targets[-1].id):
            if migration.id in chosen:
                if on_migration:
                    on_migration(migration.id)
                results.append(_check(work, project, parts(done + [migration.id]), settings, migration))
            else:
                scratch.build(work, project, parts(done + [migration.id]), settings)
            done.append(migration.id)
    return results


def _check(work: str, project: Project, parts: list[scratch.Part], settings: migrator.Settings,
           migration: MigrationFile) -> Result:
    result = Result(migration.id)
    name = parts[-1].migration_set.name
    phase = "first up"
    try:
        rows_before = _fingerprints(work) if lossless(migration) else {}
        with scratch.partial_project(project, parts) as part:
            migrator.migrate(work, part, settings, sets=part.sets())
            first = _snapshot(work)
            phase = "down"
            migrator.rollback(work, part, settings, steps=1, set_name=name)
            rows_after = _fingerprints(work) if rows_before else {}
            phase = "second up"
            migrator.migrate(work, part, settings, sets=part.sets())
            second = _snapshot(work)
    except AgentdbError as exc:
        result.problems.append({"what": f"{phase} failed", "object": migration.id, "expected": "succeeds",
                                "actual": str(exc)})
        return result
    for d in catalog.compare(first, second):
        result.problems.append({"what": f"second up differs: {d.what}", "object": d.object,
                                "expected": d.expected, "actual": d.actual})
    for table, before in sorted(rows_before.items()):
        after = rows_after.get(table)
        if after != before:
            result.problems.append({"what": "rows changed by up and down (declared lossless)", "object": table,
                                    "expected": f"{before[0]} rows", "actual": "table gone" if after is None
                                    else f"{after[0]} rows" + (" (contents differ)" if after[0] == before[0] else "")})
    return result


def _snapshot(url: str) -> catalog.Snapshot:
    with db.connect(url) as conn:
        return catalog.snapshot(conn)


def _fingerprints(url: str) -> dict[str, tuple[int, int]]:
    """Per table: row count and an order-independent sum of row hashes."""
    found = {}
    with db.connect(url, autocommit=True) as conn:
        for (table,) in conn.execute(FINGERPRINT).fetchall():
            query = f"select count(*), coalesce(sum(hashtextextended(t::text, 0)), 0) from {table} as t"
            found[table] = tuple(conn.execute(query).fetchone())
    return found
