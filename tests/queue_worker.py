"""A queue worker as an application would write one: claim a batch, do the work,
complete each task; stop when the queue is empty. Prints the ids it completed, one per
line. Used by the queue test and by bench/bench_queue.py.

    python tests/queue_worker.py URL TENANT_ID AGENT_ID [BATCH]
"""

from __future__ import annotations

import os
import socket
import sys

import psycopg


def main() -> None:
    url, tenant, agent = sys.argv[1:4]
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    worker = f"{socket.gethostname()}:{os.getpid()}"
    done = []
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            claimed = conn.execute(
                "select id, attempts from work.claim_tasks(%s, %s, %s, p_worker => %s)",
                (tenant, agent, batch, worker),
            ).fetchall()
            if not claimed:
                break
            with conn.pipeline():
                for task_id, attempt in claimed:
                    conn.execute(
                        "select 1 from work.complete_task(%s, %s, %s, '{\"ok\": true}', 1, 0.0001, %s)",
                        (tenant, task_id, agent, attempt),
                    )
            done.extend(str(task_id) for task_id, _ in claimed)
    sys.stdout.write("\n".join(done) + ("\n" if done else ""))


if __name__ == "__main__":
    main()
