"""The relation locks a backend holds, read from pg_locks: once (after a statement, in the
backend's own transaction) or sampled from a second connection while a statement runs
outside a transaction (`create index concurrently` releases its locks when it ends)."""

from __future__ import annotations

import threading
import time

import psycopg

from . import db

# (relation oid, mode, schema.name, relkind, total size) of the relations a backend has
# locked, among those that existed before the run (a relation the run made blocks nobody)
LOCKS = """
select l.relation, l.mode, n.nspname || '.' || c.relname, c.relkind::text,
       pg_catalog.pg_total_relation_size(c.oid)
from pg_catalog.pg_locks as l
join pg_catalog.pg_class as c on c.oid = l.relation
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
where l.pid = %s and l.locktype = 'relation' and l.granted
  and n.nspname not in ('pg_catalog', 'information_schema') and l.relation = any(%s::oid[])
"""


def held(conn: psycopg.Connection, pid: int, existing: list[int]) -> list[tuple]:
    return conn.execute(LOCKS, (pid, existing)).fetchall()


class LockWatch(threading.Thread):
    """Samples backend `pid`'s relation locks every `interval` seconds until stopped;
    `seen` maps (relation, mode) to (row, first seen, last seen) in monotonic seconds."""

    def __init__(self, url: str, pid: int, existing: list[int], interval: float = 0.005):
        super().__init__(daemon=True)
        self.url, self.pid, self.existing, self.interval = url, pid, existing, interval
        self.seen: dict[tuple[int, str], tuple[tuple, float, float]] = {}
        self._halt = threading.Event()
        self._ready = threading.Event()

    def run(self) -> None:
        with db.connect(self.url, autocommit=True, application_name="agentdb rehearse watch") as conn:
            self._ready.set()
            while not self._halt.is_set():
                now = time.monotonic()
                for row in held(conn, self.pid, self.existing):
                    key = (row[0], row[1])
                    first = self.seen[key][1] if key in self.seen else now
                    self.seen[key] = (row, first, now)
                time.sleep(self.interval)

    def __enter__(self) -> "LockWatch":
        self.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._halt.set()
        self.join()
