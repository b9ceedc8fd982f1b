"""Time to migrate an empty database to head (every migration and repeatable object),
in-process and as the `agentdb migrate` command a DBA runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg

from common import ROOT, machine, scratch_database, server_url, summary
from toolkit import config, migrator
from toolkit.sqlfiles import load_migrations, load_repeatables

RUNS = 7


def main() -> None:
    base = server_url()
    with psycopg.connect(base) as conn:
        version = conn.execute("show server_version").fetchone()[0]
    migrations = len(load_migrations(ROOT / "migrations"))
    objects = len(load_repeatables(ROOT / "sql"))
    print(f"machine: {machine()}; PostgreSQL {version}")
    print(f"head: {migrations} migrations, {objects} repeatable objects")

    in_process = []
    for _ in range(RUNS):
        with scratch_database(base) as url:
            started = time.perf_counter()
            migrator.migrate(url, config.Project(ROOT), migrator.Settings())
            in_process.append((time.perf_counter() - started) * 1000)
    print(summary("migrate empty -> head (library call)", in_process))

    agentdb = str(Path(sys.executable).with_name("agentdb"))
    command = []
    for _ in range(RUNS):
        with scratch_database(base) as url:
            started = time.perf_counter()
            subprocess.run([agentdb, "migrate", "--database-url", url, "--project-dir", str(ROOT)],
                           check=True, capture_output=True)
            command.append((time.perf_counter() - started) * 1000)
    print(summary("migrate empty -> head (`agentdb migrate`, with process start)", command))

    checks = []
    with scratch_database(base) as url:
        migrator.migrate(url, config.Project(ROOT), migrator.Settings())
        for _ in range(RUNS):
            started = time.perf_counter()
            subprocess.run([agentdb, "verify", "--database-url", url, "--project-dir", str(ROOT)],
                           check=True, capture_output=True)
            checks.append((time.perf_counter() - started) * 1000)
    print(summary("`agentdb verify` on an empty migrated database (with process start)", checks))


if __name__ == "__main__":
    main()
