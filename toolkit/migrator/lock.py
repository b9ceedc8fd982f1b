"""The migration lock: a PostgreSQL advisory lock held on a connection of its own."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from .. import db
from ..errors import CheckFailed

LOCK_KEY = 4_242_000_001  # pg_advisory_lock key for "agentdb migrate", per database


@contextmanager
def migration_lock(url: str, wait_seconds: float) -> Iterator[None]:
    """Concurrent migrators queue; the server releases the lock when the process dies, so
    no stale lock survives a crash (unlike a lock row). A timeout names the holder."""
    conn = db.connect(url, autocommit=True, application_name="agentdb migrate lock")
    try:
        deadline = time.monotonic() + wait_seconds
        while not conn.execute("select pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            if time.monotonic() >= deadline:
                holder = conn.execute(
                    "select pid from pg_locks where locktype = 'advisory' and granted "
                    "and ((classid::bigint << 32) | objid::bigint) = %s limit 1",
                    (LOCK_KEY,),
                ).fetchone()
                who = f" (held by backend pid {holder[0]})" if holder else ""
                raise CheckFailed(
                    f"another migration run holds the migration lock{who}; waited {wait_seconds:g}s: "
                    "retry later or raise --lock-wait"
                )
            time.sleep(0.1)
        yield
    finally:
        conn.close()  # ends the session, which releases the lock
