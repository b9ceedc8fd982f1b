"""`agentdb drift`: the live catalog against what the applied migrations should have built.

The expected schema is built by replaying, into a scratch database on the target's
server, exactly the migrations the target records as applied and the repeatable objects
it records (plus those the migrations require), with the migrator itself (and, for a
database `agentdb distribute` ran on, what it changes in the catalog); both catalogs are
then compared row by row (toolkit.catalog). The expected snapshot depends only on
the files, the server version and the role names, so it is cached under a key made of
those: a second run against the same files reads it instead of replaying.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import psycopg

from . import catalog, citus_distribute, db, migrator, scratch
from .migrator import bookkeeping
from .project import Project
from .sqlfiles import checksum, load_repeatables
from .errors import CheckFailed


def expected_parts(conn: psycopg.Connection, project: Project) -> list[scratch.Part]:
    """For each migration set, agentdb's first: what its bookkeeping says it has, as files now."""
    parts = []
    for migration_set in project.sets():
        state = migrator.read_state(conn, migration_set)
        missing = state.missing_files()
        if missing:
            raise CheckFailed(f"applied migration has no file in {migration_set.name}'s migrations/: "
                              f"{', '.join(missing)}")
        part = scratch.applied_part(state)
        if part.migration_ids or part.repeatables:
            parts.append(part)
    if not any(p.migration_ids for p in parts):
        raise CheckFailed("the database records no applied migration, so there is nothing to compare it with "
                          "(agentdb baseline adopts a database built without agentdb)")
    return parts


def _cache_key(conn: psycopg.Connection, project: Project) -> str:
    """What the expected catalog depends on, read without parsing any migration: the server
    version, the role names, the catalog queries, each set's applied ids with their files'
    bytes and every repeatable object's file."""
    digest = hashlib.sha256()
    digest.update(conn.execute("show server_version_num").fetchone()[0].encode())
    digest.update(json.dumps(scratch.target_settings(conn, project).roles, sort_keys=True).encode())
    for query in catalog.QUERIES.values():
        digest.update(query.encode())
    for migration_set in project.sets():
        applied, recorded = bookkeeping.recorded(conn, migration_set.name)
        digest.update(f"set {migration_set.name} {sorted(recorded)}".encode())
        for mid in sorted(applied):
            path = migration_set.migrations_dir / f"{mid}.sql"
            if not path.is_file():
                raise CheckFailed(f"applied migration has no file in {migration_set.name}'s migrations/: {mid}")
            digest.update(f"{mid}:{checksum(path)}".encode())
        for name, obj in sorted(load_repeatables(migration_set.sql_dir, outside=not migration_set.is_core).items()):
            digest.update(f"{name}:{obj.checksum}".encode())
    return digest.hexdigest()[:32]


def build_expected(url: str, project: Project, parts: list[scratch.Part], settings: migrator.Settings,
                   scratch_url: str | None = None, distributed: bool = False) -> dict:
    """Replay the parts into a scratch database; its catalog and the role that built it.
    For a distributed target, the replay then gets what `agentdb distribute` changes in the
    coordinator's catalog (citus_distribute.apply_catalog_steps)."""
    with scratch.scratch_database(scratch_url or url, "expected") as expected_url:
        try:
            scratch.build(expected_url, project, parts, settings)
        except CheckFailed as exc:
            raise CheckFailed(f"cannot rebuild what the applied migrations made with today's files ({exc})"
                              " - when migrations are pending, run agentdb migrate first") from exc
        if distributed:
            citus_distribute.apply_catalog_steps(expected_url)
        with db.connect(expected_url) as conn:
            return {"builder": conn.execute("select current_user").fetchone()[0], "snapshot": catalog.snapshot(conn)}


def expected_snapshot(conn: psycopg.Connection, url: str, project: Project, *, cache_dir: Path | None = None,
                      scratch_url: str | None = None) -> catalog.Snapshot:
    """What the target's applied migrations build, as if the role that migrated the target
    (the first migration's applied_by) had built it."""
    path = built = None
    distributed = citus_distribute.is_distributed(conn)
    if cache_dir is not None:
        path = cache_dir / f"expected-{_cache_key(conn, project)}-{scratch_url is not None}-{distributed}.json"
        if path.is_file():
            built = json.loads(path.read_text(encoding="utf-8"))
    if built is None:
        built = build_expected(url, project, expected_parts(conn, project), scratch.target_settings(conn, project),
                               scratch_url, distributed)
    if path is not None and not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(built, sort_keys=True), encoding="utf-8")
        temporary.replace(path)
    migrated_by = conn.execute("select applied_by from agentdb_meta.applied_migrations "
                               "order by applied_at, migration_id limit 1").fetchone()
    return catalog.as_owned_by(built["snapshot"], built["builder"], migrated_by[0] if migrated_by else "")


def drift(conn: psycopg.Connection, url: str, project: Project, *, cache_dir: Path | None = None,
          scratch_url: str | None = None) -> list[catalog.Difference]:
    """Every difference between what the target's applied migrations build and the target."""
    expected = expected_snapshot(conn, url, project, cache_dir=cache_dir, scratch_url=scratch_url)
    return catalog.compare(expected, catalog.snapshot(conn))


def default_cache_dir(project: Project) -> Path | None:
    """Where expected snapshots are cached: the project's data folder (None: nowhere)."""
    from .config import agentdb_home
    from .errors import UsageError

    try:
        return agentdb_home(project) / "cache"
    except UsageError:
        return None


def connection_url(conn: psycopg.Connection) -> str:
    """A URL for another connection to the database `conn` is connected to."""
    params = conn.info.get_parameters()
    if conn.info.password:
        params["password"] = conn.info.password
    return psycopg.conninfo.make_conninfo("", **params)


def verify_check(conn: psycopg.Connection, project: Project) -> list[dict]:
    """The `no_schema_drift` invariant of `agentdb verify`: the drift rows (none when no
    migration is applied yet: `migrations_applied` reports that)."""
    if not any(bookkeeping.recorded(conn, s.name)[0] for s in project.sets()):
        return []
    try:
        rows = drift(conn, connection_url(conn), project, cache_dir=default_cache_dir(project))
    except CheckFailed as exc:  # the other invariants still run; this one fails saying why
        return [{"object": "(schema)", "what": "not compared", "expected": "a replay of the applied migrations",
                 "actual": str(exc)}]
    return [d.as_row() for d in rows]
