"""Citus' own rebalancer, started from `agentdb cluster add-worker`: shards move online
(logical replication, so writes continue) until every worker holds its share."""

from __future__ import annotations

import time

import psycopg

from .errors import CheckFailed


def rebalance(url: str, progress=print, poll: float = 2.0) -> int:
    """Start a rebalance and wait for it; the number of shard moves it made."""
    with psycopg.connect(url, autocommit=True) as conn:
        job = conn.execute("select citus_rebalance_start()").fetchone()[0]
        if job is None:
            return 0  # already balanced
        progress(f"rebalancing (Citus background job {job}) ...")
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
        return moves
