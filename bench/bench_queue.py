"""Task claims per second with 4 worker processes (claim + complete, each its own
statement, as tests/queue_worker.py does), and metric inserts per second into the
partitioned work.metrics table (COPY, and pipelined executemany)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone

import psycopg

from common import ROOT, machine, scratch_database, server_url
from toolkit import config, migrator

PERSONAL = "00000000-0000-7000-8000-000000000001"
TASKS = 20_000
METRICS = 200_000


def migrated(url: str) -> None:
    migrator.migrate(url, config.Project(ROOT), migrator.Settings())


def claims(url: str, batch: int) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        agent = conn.execute("insert into agents.agents (tenant_id, name) values (%s, 'bench') returning id",
                             (PERSONAL,)).fetchone()[0]
        conn.execute("delete from work.tasks")
        conn.execute("insert into work.tasks (tenant_id, task_type, priority) "
                     "select %s, 'job', g %% 5 from generate_series(1, %s) g", (PERSONAL, TASKS))
        conn.execute("vacuum analyze work.tasks")
    worker = ROOT / "tests" / "queue_worker.py"
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(worker), url, PERSONAL, str(agent), str(batch)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate() for p in procs]
    elapsed = time.perf_counter() - started
    done = sum(len(out.split()) for out, _ in outs)
    if done != TASKS or any(p.returncode for p in procs):
        raise SystemExit(f"queue benchmark went wrong: {done} of {TASKS}; {[e for _, e in outs]}")
    return TASKS / elapsed


def metric_rows(agent):
    base = datetime.now(timezone.utc) - timedelta(days=20)
    for i in range(METRICS):
        yield (PERSONAL, agent, "latency", float(i % 1000), "ms", base + timedelta(seconds=i * 8))


def metric_inserts(url: str) -> tuple[float, float]:
    with psycopg.connect(url) as conn:
        agent = conn.execute("insert into agents.agents (tenant_id, name) values (%s, 'metrics') returning id",
                             (PERSONAL,)).fetchone()[0]
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy("copy work.metrics (tenant_id, agent_id, metric_type, value, unit, recorded_at) "
                                "from stdin") as copy:
            for record in metric_rows(agent):
                copy.write_row(record)
        conn.commit()
        copy_rate = METRICS / (time.perf_counter() - started)
        rows = list(metric_rows(agent))[:50_000]
        started = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany("insert into work.metrics (tenant_id, agent_id, metric_type, value, unit, recorded_at) "
                            "values (%s, %s, %s, %s, %s, %s)", rows)
        conn.commit()
        many_rate = len(rows) / (time.perf_counter() - started)
    return copy_rate, many_rate


def main() -> None:
    base = server_url()
    print(f"machine: {machine()}")
    with scratch_database(base) as url:
        migrated(url)
        for batch in (1, 10):
            rate = claims(url, batch)
            print(f"task claims, 4 worker processes, batch {batch}: {rate:,.0f} tasks/s "
                  f"(claim + complete, {TASKS:,} tasks)")
        copy_rate, many_rate = metric_inserts(url)
        print(f"metric inserts into partitioned work.metrics: COPY {copy_rate:,.0f} rows/s ({METRICS:,} rows); "
              f"executemany (pipelined) {many_rate:,.0f} rows/s (50,000 rows)")


if __name__ == "__main__":
    main()
