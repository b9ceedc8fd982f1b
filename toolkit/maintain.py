"""`agentdb maintain`: partition upkeep, keyword indexing of deferred chunks, BM25 upkeep,
retention and analyze, safe to run from cron every few minutes. Each step runs in its own
transaction under a short lock_timeout, so it never queues behind (or blocks) writers for
long: a step that cannot get its lock is reported and retried next run."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable

import psycopg

from . import db

# Shorter than PostgreSQL's deadlock_timeout (1 s): when a writer's multi-statement
# transaction and a partition attach wait on each other, maintain gives up first and is
# retried next run, instead of the deadlock detector cancelling the writer.
LOCK_TIMEOUT = "500ms"

# Deferred chunks are indexed in batches of this many, one transaction each, so a large
# backlog never holds term locks for long.
KEYWORD_INDEX_BATCH = 20_000


# retention actions: (what the run did, what a dry run says it would do)
VERBS = {"delete": ("deleted", "delete"), "archive_then_delete": ("archived", "archive"),
         "drop_partitions": ("dropped", "drop")}


@dataclass
class Step:
    step: str  # partitions | keyword index | bm25 | retention | analyze
    table: str
    done: str
    rows: int = 0


def maintain(conn: psycopg.Connection, dry_run: bool = False,
             report: Callable[[Step], None] = lambda _: None) -> list[Step]:
    steps: list[Step] = []

    def record(step: Step) -> None:
        steps.append(step)
        report(step)

    with conn.transaction():
        conn.execute("select set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
        for table, created, note in conn.execute("select * from ops.maintain_partitions(%s)", (dry_run,)).fetchall():
            record(Step("partitions", table, note or (f"created {', '.join(created)}" if created else "current")))

    record(index_pending_chunks(conn, dry_run))

    with conn.transaction():
        conn.execute("select set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
        for tenant, renormalised, vacuumed in conn.execute("select * from knowledge.maintain_bm25(p_dry_run => %s)",
                                                            (dry_run,)).fetchall():
            if tenant is not None:
                record(Step("bm25", "knowledge.bm25_postings",
                            f"{'would renormalise' if dry_run else 'renormalised'} tenant {tenant} "
                            f"after average length drift", renormalised))
            elif vacuumed:
                record(Step("bm25", "knowledge.bm25_terms", f"vacuumed {vacuumed} empty term(s)", vacuumed))

    policies = conn.execute(
        "select id, table_name, time_column, keep_for::text, case when all_tenants then 'every tenant' else "
        "concat_ws(' and ', concat_ws(' or ', cardinality(tenant_ids) || ' named tenant(s)', 'tenants with ' "
        "|| tenant_setting), tenant_kind || 's') end from ops.retention_policies where is_enabled order by id").fetchall()
    # A dry run applies the policies in one transaction that is rolled back, so it counts
    # what each one would take after the ones before it (a conversation's files go with
    # it): the same verbs and counts the run then reports. Partitions are only counted.
    with conn.transaction(force_rollback=True) if dry_run else nullcontext():
        for policy_id, table, column, keep, scope in policies:
            record(_retention_step(conn, policy_id, table, column, keep, scope, dry_run))

    stale = conn.execute(
        """
        select s.schemaname || '.' || s.relname
          from pg_stat_user_tables s
         where s.schemaname = any(%s)
           and (s.last_analyze is null and s.last_autoanalyze is null and s.n_live_tup + s.n_mod_since_analyze > 0
                or s.n_mod_since_analyze > greatest(50, 0.1 * s.n_live_tup))
         order by 1
        """, (db.domain_schemas(conn),)).fetchall()
    for (table,) in stale:
        if not dry_run:
            conn.execute(psycopg.sql.SQL("analyze {}").format(psycopg.sql.Identifier(*table.split(".", 1))))
        record(Step("analyze", table, "would analyze" if dry_run else "analyzed"))
    return steps


def _retention_step(conn: psycopg.Connection, policy_id: int, table: str, column: str, keep: str, scope: str,
                    dry_run: bool) -> Step:
    try:
        with conn.transaction():
            conn.execute("select set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
            _, action, rows, partitions = conn.execute(
                "select r.* from ops.retention_policies as p cross join lateral "
                "ops.apply_retention_policy(p.id, p.action = 'drop_partitions' and %s) as r where p.id = %s",
                (dry_run, policy_id)).fetchone()
    except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
        return Step("retention", table, "skipped: lock not granted in time; retried next run")
    verb = ("would " if dry_run else "") + VERBS[action][dry_run]
    detail = f"{verb} {rows} row(s) of {scope} with {column} older than {keep}"
    if partitions:
        detail += f" ({len(partitions)} partition(s))"
    return Step("retention", table, detail, rows)


def index_pending_chunks(conn: psycopg.Connection, dry_run: bool = False) -> Step:
    """Index the chunks a deferred load left in knowledge.bm25_pending, tenant by tenant and
    batch by batch (knowledge.index_pending_chunks_of: pinned to one tenant, so on a Citus
    cluster each call runs on the worker holding it)."""
    if dry_run:
        with conn.transaction():
            waiting = conn.execute("select count(*) from knowledge.bm25_pending").fetchone()[0]
        return Step("keyword index", "knowledge.bm25_pending", f"would index {waiting} chunk(s)", waiting)
    indexed = 0
    with conn.transaction():
        tenants = [r[0] for r in conn.execute("select distinct p.tenant_id from knowledge.bm25_pending as p")]
    for tenant in tenants:
        while True:
            try:
                with conn.transaction():
                    conn.execute("select set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
                    batch = conn.execute("select knowledge.index_pending_chunks_of(%s, %s)",
                                         (tenant, KEYWORD_INDEX_BATCH)).fetchone()[0]
            except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected):
                return Step("keyword index", "knowledge.bm25_pending",
                            f"indexed {indexed} chunk(s), then stopped: lock not granted in time; retried next run",
                            indexed)
            indexed += batch
            if batch < KEYWORD_INDEX_BATCH:
                break
    return Step("keyword index", "knowledge.bm25_pending", f"indexed {indexed} chunk(s)", indexed)
