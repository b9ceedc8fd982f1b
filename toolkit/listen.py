"""`agentdb listen`: follow the event channels as JSON lines, reconnecting after the
server restarts. On a Citus coordinator it listens on every node: triggers fire on the
shard, so a notification is sent by the worker that holds the row."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from typing import Callable, Iterable

import psycopg
from psycopg import sql

CHANNELS = ("agentdb_messages", "agentdb_memories", "agentdb_documents", "agentdb_tasks", "agentdb_workflows",
            "agentdb_spans")


def follow(url: str, channels: Iterable[str], tenant_id: str | None, emit: Callable[[dict], None],
           say: Callable[[str], None] = lambda _: None, stop_after: float | None = None) -> None:
    """Print every notification (filtered to a tenant when given) until interrupted, or
    for stop_after seconds. A lost connection is re-made with backoff and LISTEN re-issued;
    events sent while disconnected are lost (NOTIFY is not durable): say so."""
    channels = list(channels)
    deadline = None if stop_after is None else time.monotonic() + stop_after
    backoff = 0.5
    while deadline is None or time.monotonic() < deadline:
        conns: list[psycopg.Connection] = []
        try:
            for node_url in node_urls(url):
                conn = psycopg.connect(node_url, autocommit=True)
                conns.append(conn)
                for channel in channels:
                    conn.execute(sql.SQL("listen {}").format(sql.Identifier(channel)))
            nodes = f" on {len(conns)} Citus nodes" if len(conns) > 1 else ""
            say(f"listening on {', '.join(channels)}" + (f" for tenant {tenant_id}" if tenant_id else "") + nodes)
            backoff = 0.5
            while deadline is None or time.monotonic() < deadline:
                timeout = 1.0 if deadline is None else max(0.05, min(1.0, deadline - time.monotonic()))
                for note in _notifies(conns, timeout):
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
            for conn in conns:
                conn.close()


def node_urls(url: str) -> list[str]:
    """The URL itself, and on a Citus coordinator the same database on every other node."""
    with psycopg.connect(url, autocommit=True) as conn:
        if conn.execute("select to_regclass('pg_catalog.pg_dist_node') is null").fetchone()[0]:
            return [url]
        nodes = conn.execute("select nodename, nodeport from pg_catalog.pg_dist_node "
                             "where noderole = 'primary' and isactive and groupid <> 0 order by nodeid").fetchall()
    return [url] + [psycopg.conninfo.make_conninfo(url, host=host, port=port) for host, port in nodes]


def _notifies(conns: list[psycopg.Connection], timeout: float):
    """Notifications from every connection, each waited on in turn (`timeout` in all)."""
    for conn in conns:
        yield from conn.notifies(timeout=max(0.02, timeout / len(conns)))


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
