"""`agentdb listen`: follow the event channels as JSON lines, reconnecting after the
server restarts. On one node the events are NOTIFY. On a Citus coordinator the triggers
fire on the workers, which write each event to their own outbox (ops.emit_event: NOTIFY
cannot run in a transaction Citus commits with two-phase commit); the listener reads every
worker's outbox in commit order and relays it (docs/events.md, "On a Citus cluster")."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Iterator

import psycopg
from psycopg import sql

CHANNELS = ("agentdb_messages", "agentdb_memories", "agentdb_documents", "agentdb_tasks", "agentdb_workflows",
            "agentdb_spans")
POLL_SECONDS = 0.05  # how often a worker's outbox is read


@dataclass(frozen=True)
class Event:
    """One event, NOTIFY's or relayed from an outbox (the attributes of psycopg's Notify)."""

    channel: str
    payload: str


class OutboxReader:
    """One Citus worker's ops.event_outbox, read from where the reader started in commit
    order: rows of transactions below the snapshot's xmin (all finished, so none committed
    later can be skipped), by transaction id, then id."""

    QUERY = ("select o.xid::text, o.id, o.channel, o.payload from ops.event_outbox as o "
             "where (o.xid, o.id) > (%s::xid8, %s) and o.xid < pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()) "
             "and o.channel = any(%s) order by o.xid, o.id limit 5000")

    def __init__(self, conn: psycopg.Connection, channels: list[str]):
        self.conn, self.channels = conn, channels
        start = conn.execute("select pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot())::text").fetchone()[0]
        self.position = (start, 0)

    def read(self) -> list[Event]:
        rows = self.conn.execute(self.QUERY, (*self.position, self.channels)).fetchall()
        if rows:
            self.position = (rows[-1][0], rows[-1][1])
        return [Event(channel, payload) for _, _, channel, payload in rows]


class Listener:
    """Every event on `channels` of a database: LISTEN where events are NOTIFY (one node,
    the coordinator), the outbox of every Citus worker that has one."""

    def __init__(self, url: str, channels: Iterable[str]):
        self.channels = list(channels)
        self.listening: list[psycopg.Connection] = []
        self.outboxes: list[OutboxReader] = []
        try:
            for node_url in node_urls(url):
                conn = psycopg.connect(node_url, autocommit=True)
                if conn.execute("select pg_catalog.to_regclass('ops.event_outbox') is not null").fetchone()[0]:
                    self.outboxes.append(OutboxReader(conn, self.channels))
                    continue
                self.listening.append(conn)
                for channel in self.channels:
                    conn.execute(sql.SQL("listen {}").format(sql.Identifier(channel)))
        except BaseException:
            self.close()
            raise

    @property
    def nodes(self) -> int:
        return len(self.listening) + len(self.outboxes)

    def notifies(self, timeout: float, stop_after: int | None = None) -> Iterator[Event]:
        """The events that arrive within `timeout` seconds (at most `stop_after` of them)."""
        deadline = time.monotonic() + timeout
        count = 0
        while True:
            for event in self._round(deadline):
                yield event
                count += 1
                if stop_after is not None and count >= stop_after:
                    return
            if time.monotonic() >= deadline:
                return

    def _round(self, deadline: float) -> Iterator[Event]:
        """One read of every outbox, then a wait on the LISTEN connections (or a pause)."""
        for reader in self.outboxes:
            yield from reader.read()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        wait = min(left, POLL_SECONDS) if self.outboxes else left
        for conn in self.listening:
            for note in conn.notifies(timeout=max(0.001, wait / len(self.listening))):
                yield Event(note.channel, note.payload)
        if not self.listening:
            time.sleep(wait)

    def close(self) -> None:
        for conn in self.listening + [r.conn for r in self.outboxes]:
            conn.close()


def follow(url: str, channels: Iterable[str], tenant_id: str | None, emit: Callable[[dict], None],
           say: Callable[[str], None] = lambda _: None, stop_after: float | None = None) -> None:
    """Print every event (filtered to a tenant when given) until interrupted, or for
    stop_after seconds. A lost connection is re-made with backoff and LISTEN re-issued;
    events sent while disconnected are lost (NOTIFY is not durable): say so."""
    channels = list(channels)
    deadline = None if stop_after is None else time.monotonic() + stop_after
    backoff = 0.5
    while deadline is None or time.monotonic() < deadline:
        listener = None
        try:
            listener = Listener(url, channels)
            nodes = f" on {listener.nodes} Citus nodes" if listener.nodes > 1 else ""
            say(f"listening on {', '.join(channels)}" + (f" for tenant {tenant_id}" if tenant_id else "") + nodes)
            backoff = 0.5
            while deadline is None or time.monotonic() < deadline:
                timeout = 1.0 if deadline is None else max(0.05, min(1.0, deadline - time.monotonic()))
                for note in listener.notifies(timeout):
                    try:
                        payload = json.loads(note.payload)
                    except ValueError:
                        payload = note.payload
                    if tenant_id and isinstance(payload, dict) and payload.get("tenant_id") != tenant_id:
                        continue
                    emit({"channel": note.channel, "received_at": datetime.now(timezone.utc).isoformat(),
                          "payload": payload})
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "connection lost"
            say(f"connection lost ({first}); reconnecting in {backoff:g}s - events sent meanwhile are not replayed")
            time.sleep(backoff)
            backoff = min(backoff * 2, 10.0)
        finally:
            if listener is not None:
                listener.close()


def node_urls(url: str) -> list[str]:
    """The URL itself, and on a Citus coordinator the same database on every other node."""
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select to_regclass('pg_catalog.pg_dist_node') is null").fetchone()[0]:
            return [url]
        nodes = conn.execute("select nodename, nodeport from pg_catalog.pg_dist_node "
                             "where noderole = 'primary' and isactive and groupid <> 0 order by nodeid").fetchall()
    return [url] + [psycopg.conninfo.make_conninfo(url, host=host, port=port) for host, port in nodes]


def emit_json_line(event: dict, write: Callable[[str], None]) -> None:
    """One event as one JSON line (non-ASCII text kept as it is)."""
    write(json.dumps(event, ensure_ascii=False))

def tenant_id(url: str, tenant: str | None) -> str | None:
    """The id of the tenant to filter events by (core.resolve_tenant), or None for all."""
    if not tenant:
        return None
    from . import db

    with db.connect(url) as conn:
        return str(conn.execute("select core.resolve_tenant(%s)", (tenant,)).fetchone()[0])
