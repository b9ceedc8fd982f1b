"""Batched backfills (ops.backfill, called from a `-- transactional: false` migration):
a 1M-row backfill killed twice resumes and finishes, every row updated exactly once, and
no transaction lives longer than about one batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from toolkit import config, migrator

from .conftest import ROOT

BACKFILL = ("-- Fill doubled from n, 10000 rows per transaction.\n-- transactional: false\n"
            "call ops.backfill('0900_fill_doubled', 'public.backfill_big', "
            "'doubled = n * 2, updates = updates + 1', 'doubled is null', 10000);\n")
ROWS = 1_000_000


@pytest.fixture(scope="module")
def big_url():
    from .conftest import SERVER_URL, url_for

    name = "agentdb_backfill_big"
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    url = url_for(name)
    migrator.migrate(url, config.Project(ROOT), migrator.Settings())
    with psycopg.connect(url) as conn:
        conn.execute("create table public.backfill_big (id bigint primary key, n integer not null, doubled integer, "
                     "updates integer not null default 0)")
        conn.execute(f"insert into public.backfill_big (id, n) select g, g % 1000 from generate_series(1, {ROWS}) as g")
    yield url
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")


class XactWatch(threading.Thread):
    """Samples the age of the backfill's transaction and which transactions it ran."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.oldest, self.starts = url, threading.Event(), 0.0, set()

    def run(self):
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                for age, start in conn.execute(
                        "select extract(epoch from clock_timestamp() - xact_start)::float8, xact_start "
                        "from pg_stat_activity where datname = current_database() and state = 'active' "
                        "and query like 'call ops.backfill%'"):
                    self.oldest = max(self.oldest, age)
                    self.starts.add(start)
                time.sleep(0.02)


def _start(url: str, project: Path) -> subprocess.Popen:
    agentdb = Path(sys.executable).with_name("agentdb")
    return subprocess.Popen([str(agentdb), "migrate", "--database-url", url, "--project-dir", str(project),
                             "--statement-timeout", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _progress(conn) -> int:
    if conn.execute("select to_regclass('agentdb_meta.backfills')").fetchone()[0] is None:
        return 0
    row = conn.execute("select rows_done from agentdb_meta.backfills where name = '0900_fill_doubled'").fetchone()
    return row[0] if row else 0


def _kill_when(url: str, process: subprocess.Popen, rows: int) -> int:
    """Kill the run (client and its server sessions) once `rows` rows are done."""
    with psycopg.connect(url, autocommit=True) as conn:
        deadline = time.monotonic() + 300
        while _progress(conn) < rows:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        conn.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() "
                     "and pid <> pg_backend_pid() and application_name like 'agentdb%'")
        while conn.execute("select count(*) from pg_stat_activity where datname = current_database() "
                           "and pid <> pg_backend_pid() and application_name like 'agentdb%'").fetchone()[0]:
            time.sleep(0.05)
        return _progress(conn)


def test_a_killed_backfill_resumes_and_updates_every_row_once(big_url, project):
    (project.migrations_dir / "0900_fill_doubled.sql").write_text(BACKFILL)
    watch = XactWatch(big_url)
    watch.start()
    first = _kill_when(big_url, _start(big_url, project.root), 150_000)
    second = _kill_when(big_url, _start(big_url, project.root), first + 250_000)
    assert 150_000 <= first < second < ROWS

    last = _start(big_url, project.root)
    out, err = last.communicate(timeout=600)
    watch.stop.set()
    watch.join()
    assert last.returncode == 0, err
    with psycopg.connect(big_url) as conn:
        counts = conn.execute("select count(*), count(*) filter (where updates = 1 and doubled = n * 2) "
                              "from public.backfill_big").fetchone()
        assert counts == (ROWS, ROWS)  # every row updated, and only once, across three runs
        done, batches, longest, runs, finished = conn.execute(
            "select rows_done, batches, longest_batch_ms, runs, finished_at from agentdb_meta.backfills "
            "where name = '0900_fill_doubled'").fetchone()
        assert done == ROWS and batches >= ROWS // 10000 and runs == 2 and finished is not None
        assert conn.execute("select count(*) from agentdb_meta.applied_migrations "
                            "where migration_id = '0900_fill_doubled'").fetchone()[0] == 1
    # one transaction per batch: many transactions seen, none older than about one batch
    assert len(watch.starts) >= 20
    assert watch.oldest < 2 * longest / 1000 + 1.0, (watch.oldest, longest)

    again = _start(big_url, project.root)
    assert again.wait(timeout=120) == 0  # applied: nothing left to run


def test_bad_arguments_are_refused(big_url):
    with psycopg.connect(big_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.UndefinedColumn):
            conn.execute("call ops.backfill('x', 'public.backfill_big', 'n = n', 'true', 10, 'nope')")
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            conn.execute("call ops.backfill('x', 'public.backfill_big', 'n = n', 'true', 0)")
