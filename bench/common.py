"""Shared by the benchmarks: a server to run against and scratch databases on it."""

from __future__ import annotations

import os
import platform
import statistics
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg import sql

from toolkit import db, server

ROOT = Path(__file__).resolve().parents[1]


def server_url() -> str:
    """AGENTDB_BENCH_DATABASE_URL (a server where scratch databases may be created),
    else the embedded server under .agentdb/bench."""
    given = os.environ.get("AGENTDB_BENCH_DATABASE_URL")
    if given:
        return db.libpq_url(given)
    return server.start(ROOT / ".agentdb" / "bench", int(os.environ.get("AGENTDB_PG_VERSION", "18"))).url


@contextmanager
def scratch_database(base_url: str):
    name = f"agentdb_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield psycopg.conninfo.make_conninfo(base_url, dbname=name)
    finally:
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def summary(label: str, samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return (f"{label}: median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, "
            f"min {ordered[0]:.1f} ms over {len(ordered)} runs")


def load() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, figures are read beside them."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())
