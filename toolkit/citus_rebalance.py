"""Growing a Citus cluster: Citus' own rebalancer (`agentdb cluster rebalance`, and
`agentdb cluster add-worker` after it adds the node) and isolating one tenant to shards of
its own (`agentdb distribute --isolate-tenant ID`).

Shards move with `block_writes`: Citus copies a shard group as the superuser while writes to
that group wait (they are delayed, never refused or lost) and the other groups' writes go on.
The online mode (`force_logical`, logical replication) cannot fill agentdb's tables:
PostgreSQL's apply worker writes as the table's owner and refuses a table under forced
row-level security ("cannot replicate into relation with row-level security enabled"), and
every agentdb tenant table is under forced RLS so that security definer functions, run as
the owner, keep to the tenant. A move in that mode waits at its catch-up for ever; it is
refused here with the reason (logical_blocker)."""

from __future__ import annotations

import time
import uuid

import psycopg

from . import citus_distribute
from .errors import CheckFailed, UsageError

TRANSFER_MODES = ("block_writes", "force_logical", "auto")
DEFAULT_MODE = "block_writes"


def logical_blocker(conn: psycopg.Connection) -> str | None:
    """A distributed table logical replication cannot fill: under forced row-level security
    and owned by a role that does not bypass it (None when there is none)."""
    row = conn.execute(
        "select c.oid::regclass::text from pg_dist_partition as d join pg_class as c on c.oid = d.logicalrelid "
        "join pg_roles as r on r.oid = c.relowner where c.relrowsecurity and c.relforcerowsecurity "
        "and not (r.rolsuper or r.rolbypassrls) order by 1 limit 1").fetchone()
    return row[0] if row else None


def _check_mode(conn: psycopg.Connection, transfer_mode: str) -> None:
    if transfer_mode not in TRANSFER_MODES:
        raise UsageError(f"unknown transfer mode {transfer_mode!r} (one of {', '.join(TRANSFER_MODES)})")
    blocker = logical_blocker(conn) if transfer_mode != "block_writes" else None
    if blocker:
        raise UsageError(f"--transfer-mode {transfer_mode} cannot move {blocker}: PostgreSQL refuses logical "
                         "replication into a table under forced row-level security whose owner does not bypass it "
                         "(the move would wait for ever); use --transfer-mode block_writes")


def _require_distributed(conn: psycopg.Connection) -> None:
    if not conn.execute("select exists (select 1 from pg_extension where extname = 'citus')").fetchone()[0]:
        raise UsageError("this database has no Citus extension: point --database-url at a Citus coordinator")
    if not conn.execute("select citus_is_coordinator()").fetchone()[0]:
        raise UsageError("this node is not the Citus coordinator: point --database-url at the coordinator")
    if not conn.execute("select exists (select 1 from pg_dist_partition where partmethod = 'h')").fetchone()[0]:
        raise UsageError("nothing is distributed in this database: run `agentdb distribute` first")


def planned_moves(conn: psycopg.Connection) -> list[tuple]:
    """The moves Citus' rebalancer would make now: (table, shard, from port, to port)."""
    return conn.execute("select table_name::text, shardid, sourceport, targetport "
                        "from get_rebalance_table_shards_plan()").fetchall()


def rebalance(url: str, progress=print, poll: float = 1.0, transfer_mode: str = DEFAULT_MODE) -> int:
    """Start a rebalance in this database and wait for it; the number of shard-group moves."""
    with psycopg.connect(url, autocommit=True) as conn:
        _require_distributed(conn)
        _check_mode(conn, transfer_mode)
    # a worker added since `agentdb distribute` gets the outbox (and logins, view grants)
    # before any shard, and so any event, lands on it
    citus_distribute.complete_nodes(url, progress)
    with psycopg.connect(url, autocommit=True) as conn:
        job = conn.execute("select citus_rebalance_start(shard_transfer_mode => %s::citus.shard_transfer_mode)",
                           (transfer_mode,)).fetchone()[0]
        if job is None:
            return 0  # already balanced
        progress(f"rebalancing (Citus background job {job}, {transfer_mode}) ...")
        while True:
            state = conn.execute("select state from pg_dist_background_job where job_id = %s", (job,)).fetchone()[0]
            if state in ("finished", "failed", "cancelled"):
                break
            time.sleep(poll)
        moves = conn.execute("select count(*) from pg_dist_background_task where job_id = %s", (job,)).fetchone()[0]
        if state != "finished":
            message = conn.execute("select message from pg_dist_background_task where job_id = %s and "
                                   "message is not null and message <> '' limit 1", (job,)).fetchone()
            raise CheckFailed(f"rebalance job {job} {state}: {message[0] if message else 'see citus_rebalance_status()'}")
        # the moved shards' old placements are dropped by Citus' cleanup; do it now
        conn.execute("call citus_cleanup_orphaned_resources()")
        return moves


def isolate_tenant(url: str, tenant: str, progress=print, transfer_mode: str = DEFAULT_MODE) -> dict:
    """Give one tenant shards of its own in every tenant table (isolate_tenant_to_new_shard,
    cascading through the colocation group). Returns the new shard of chat.messages and the
    tenant's row counts before and after (equal, or it raises)."""
    try:
        tenant_id = str(uuid.UUID(tenant))
    except ValueError:
        tenant_id = None
    with psycopg.connect(url, autocommit=True) as conn:
        _require_distributed(conn)
        _check_mode(conn, transfer_mode)
        row = conn.execute("select id::text from core.tenants where id::text = %s or slug = %s",
                           (tenant_id or "", tenant)).fetchone()
        if row is None:
            raise UsageError(f"no tenant {tenant!r} (give its id or slug)")
        tenant_id = row[0]
        anchor = conn.execute(
            "select logicalrelid::regclass::text from pg_dist_partition where partmethod = 'h' and "
            "colocationid = (select colocationid from pg_dist_partition where logicalrelid = 'chat.messages'::regclass) "
            "and not exists (select 1 from pg_inherits where inhrelid = logicalrelid) order by 1 limit 1").fetchone()[0]
        shard = conn.execute("select get_shard_id_for_distribution_column(%s, %s::uuid)", (anchor, tenant_id)).fetchone()[0]
        low, high = conn.execute("select shardminvalue, shardmaxvalue from pg_dist_shard where shardid = %s",
                                 (shard,)).fetchone()
        before = tenant_counts(conn, tenant_id)
        if low == high:
            progress(f"tenant {tenant_id} already has shards of its own ({anchor} shard {shard})")
            return {"tenant": tenant_id, "shard": shard, "already": True, "before": before, "after": before}
        progress(f"isolating tenant {tenant_id} (out of {anchor} shard {shard}, {transfer_mode}) ...")
        new = conn.execute("select isolate_tenant_to_new_shard(%s, %s::uuid, 'CASCADE', "
                           "shard_transfer_mode => %s::citus.shard_transfer_mode)",
                           (anchor, tenant_id, transfer_mode)).fetchone()[0]
        conn.execute("call citus_cleanup_orphaned_resources()")
        after = tenant_counts(conn, tenant_id)
        if after != before:
            raise CheckFailed(f"tenant {tenant_id}: row counts changed while isolating: {before} -> {after}")
        return {"tenant": tenant_id, "shard": new, "already": False, "before": before, "after": after}


def tenant_counts(conn: psycopg.Connection, tenant_id: str) -> dict[str, int]:
    """The tenant's rows in every distributed table (parents only: partitions count in theirs)."""
    tables = [r[0] for r in conn.execute(
        "select logicalrelid::regclass::text from pg_dist_partition as d where partmethod = 'h' "
        "and not exists (select 1 from pg_inherits where inhrelid = d.logicalrelid) order by 1")]
    counts = {}
    for table in tables:
        counts[table] = conn.execute(f"select count(*) from {table} where tenant_id = %s::uuid",
                                     (tenant_id,)).fetchone()[0]
    return counts
