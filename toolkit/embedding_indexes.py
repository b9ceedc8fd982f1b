"""Build the per-model HNSW indexes the way a DBA would: concurrently on tables with
rows (partition by partition, then attached, on partitioned tables), with
maintenance_work_mem and parallel workers sized for the build, progress read from
pg_stat_progress_create_index, and any invalid index left by a failed build removed
first. The DDL itself comes from the database (knowledge.embedding_index_ddl)."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Callable

import psycopg
from psycopg import sql

from . import db


@dataclass
class IndexResult:
    table: str
    index: str
    action: str  # exists | built | rebuilt (an invalid one was dropped first)
    seconds: float


def _maintenance_settings(conn: psycopg.Connection, table: str, model_id: int) -> tuple[str, int]:
    """maintenance_work_mem large enough for the graph to be built in memory (HNSW builds
    much faster when it fits), within 64MB..2GB; parallel workers one fewer than the cores.
    The rows are counted, not read from pg_class.reltuples: right after a bulk load the
    table has not been analyzed, and a build sized on a stale estimate took 3x as long.
    Two statements: Citus will not push a sub-select beside count(*) to the shards."""
    dims = conn.execute("select m.dimensions from knowledge.embedding_models as m where m.id = %s",
                        (model_id,)).fetchone()[0]
    rows = conn.execute(sql.SQL("select count(*) from {} where embedding_model_id = %s").format(
        sql.Identifier(*table.split(".", 1))), (model_id,)).fetchone()[0]
    estimate_mb = int(rows * (dims * 4 + 200) * 1.3 / 2**20) + 1
    memory_mb = max(64, min(2048, estimate_mb))
    workers = max(0, min((os.cpu_count() or 2) - 1, 7))
    return f"{memory_mb}MB", workers


def _watch_progress(url: str, pid: int, report: Callable[[str], None], stop: threading.Event) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        last = None
        while not stop.wait(1.0):
            row = conn.execute(
                "select phase, blocks_done, blocks_total, tuples_done, tuples_total "
                "from pg_stat_progress_create_index where pid = %s", (pid,)).fetchone()
            if row and row != last:
                phase, blocks_done, blocks_total, tuples_done, tuples_total = row
                detail = (f"{tuples_done}/{tuples_total} tuples" if tuples_total
                          else f"{blocks_done}/{blocks_total} blocks" if blocks_total else "")
                report(f"  {phase} {detail}".rstrip())
                last = row


def _run_ddl(url: str, statement: str, settings: tuple[str, int], report: Callable[[str], None]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select set_config('maintenance_work_mem', %s, false), "
                     "set_config('max_parallel_maintenance_workers', %s, false)",
                     (settings[0], str(settings[1])))
        stop = threading.Event()
        watcher = threading.Thread(target=_watch_progress, args=(url, conn.info.backend_pid, report, stop),
                                   daemon=True)
        watcher.start()
        try:
            conn.execute(statement)
        finally:
            stop.set()
            watcher.join(timeout=5)


def _invalid_indexes(conn: psycopg.Connection, name: str) -> list[str]:
    rows = conn.execute(
        "select c.oid::regclass::text from pg_class c join pg_index i on i.indexrelid = c.oid "
        "where c.relname = %s and not i.indisvalid", (name,)).fetchall()
    return [r[0] for r in rows]


def build(url: str, model_id: int, report: Callable[[str], None] = lambda _: None) -> list[IndexResult]:
    """Make sure model model_id has a valid HNSW index on every embedding table."""
    results = []
    with db.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute("select t::text from knowledge.embedding_tables() t")]
        for table in tables:
            name = conn.execute("select knowledge.embedding_index_name(%s, %s::regclass)",
                                (model_id, table)).fetchone()[0]
            schema = table.split(".", 1)[0]
            started = time.monotonic()
            action = "built"
            invalid = _invalid_indexes(conn, name)
            partitioned = conn.execute("select relkind = 'p' from pg_class where oid = %s::regclass",
                                       (table,)).fetchone()[0]
            for index in invalid:
                report(f"{table}: dropping invalid index {index} left by a failed build")
                conn.execute(sql.SQL("drop index {} {}").format(
                    sql.SQL("" if partitioned else "concurrently"), sql.SQL(index)))
                action = "rebuilt"
            if conn.execute("select to_regclass(%s) is not null", (f"{schema}.{name}",)).fetchone()[0]:
                results.append(IndexResult(table, name, "exists", 0.0))
                continue
            settings = _maintenance_settings(conn, table, model_id)
            report(f"{table}: building {name} (maintenance_work_mem {settings[0]}, {settings[1]} parallel workers)")
            if partitioned:
                _build_partitioned(url, conn, table, model_id, name, settings, report)
            else:
                ddl = conn.execute("select knowledge.embedding_index_ddl(%s, %s::regclass, true)",
                                   (model_id, table)).fetchone()[0]
                _run_ddl(url, ddl, settings, report)
            _comment(conn, model_id, f"{schema}.{name}")
            results.append(IndexResult(table, name, action, round(time.monotonic() - started, 2)))
    return results


def build_tenant(url: str, model_id: int, tenant_id, report: Callable[[str], None] = lambda _: None) -> IndexResult:
    """Make sure model model_id has a valid HNSW index of its own over tenant tenant_id's
    chunks (knowledge.tenant_embedding_index_ddl), built concurrently: for a large tenant,
    whose searches then walk a graph of its rows only instead of filtering the shared one."""
    with db.connect(url, autocommit=True) as conn:
        name = conn.execute("select knowledge.tenant_embedding_index_name(%s, %s)", (model_id, tenant_id)).fetchone()[0]
        started = time.monotonic()
        action = "built"
        for index in _invalid_indexes(conn, name):
            report(f"knowledge.chunks: dropping invalid index {index} left by a failed build")
            conn.execute(sql.SQL("drop index concurrently {}").format(sql.SQL(index)))
            action = "rebuilt"
        if conn.execute("select to_regclass(%s) is not null", (f"knowledge.{name}",)).fetchone()[0]:
            return IndexResult("knowledge.chunks", name, "exists", 0.0)
        settings = _maintenance_settings(conn, "knowledge.chunks", model_id)
        report(f"knowledge.chunks: building {name} (maintenance_work_mem {settings[0]}, {settings[1]} parallel workers)")
        ddl = conn.execute("select knowledge.tenant_embedding_index_ddl(%s, %s, true)", (model_id, tenant_id)).fetchone()[0]
        _run_ddl(url, ddl, settings, report)
        conn.execute(sql.SQL("comment on index {} is {}").format(
            sql.Identifier("knowledge", name),
            sql.Literal(conn.execute(
                "select format('HNSW index of embedding model %%s over the chunks of tenant %%s', m.name, t.slug) "
                "from knowledge.embedding_models m, core.tenants t where m.id = %s and t.id = %s",
                (model_id, tenant_id)).fetchone()[0])))
        return IndexResult("knowledge.chunks", name, action, round(time.monotonic() - started, 2))


def _build_partitioned(url, conn, table, model_id, name, settings, report) -> None:
    """The safe recipe: an index on the parent only (invalid until complete), each
    partition's index built concurrently, then attached; writers are never blocked."""
    parent_ddl = conn.execute("select knowledge.embedding_index_ddl(%s, %s::regclass, false)",
                              (model_id, table)).fetchone()[0]
    conn.execute(parent_ddl.replace(f" on {table} using", f" on only {table} using", 1))
    partitions = conn.execute(
        "select c.oid::regclass::text, c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid "
        "where i.inhparent = %s::regclass order by 1", (table,)).fetchall()
    schema = table.split(".", 1)[0]
    for partition, relname in partitions:
        child = f"{relname}_embedding_m{model_id}_idx"
        if not conn.execute("select to_regclass(%s) is not null", (f"{schema}.{child}",)).fetchone()[0]:
            ddl = conn.execute("select knowledge.embedding_index_ddl(%s, %s::regclass, true)",
                               (model_id, partition)).fetchone()[0]
            report(f"  {partition}")
            _run_ddl(url, ddl, settings, report)
        conn.execute(sql.SQL("alter index {} attach partition {}").format(
            sql.Identifier(schema, name), sql.Identifier(schema, child)))


def _comment(conn: psycopg.Connection, model_id: int, index: str) -> None:
    conn.execute(
        sql.SQL("comment on index {} is {}").format(
            sql.Identifier(*index.split(".", 1)),
            sql.Literal(conn.execute(
                "select format('HNSW index of embedding model %%s (%%s dimensions, %%s, %%s)', name, dimensions, "
                "distance, index_storage) from knowledge.embedding_models where id = %s", (model_id,)).fetchone()[0])))
