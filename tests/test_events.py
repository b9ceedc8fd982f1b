"""The event contract: every channel fires with the documented payload, only on commit,
one event per statement and group; `agentdb listen` prints what was committed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from .conftest import ROOT
from .sample import PERSONAL, agent, one

BASE_KEYS = {"op", "table", "tenant_id", "count", "ids", "truncated"}


def contract() -> dict[str, dict]:
    """The channel table of docs/events.md."""
    rows = {}
    for line in (ROOT / "docs" / "events.md").read_text().splitlines():
        match = re.match(r"^\| `(agentdb_\w+)` \| `([\w.]+)` \| ([\w, ]+) \| (.*?) \| .* \|$", line)
        if match:
            channel, table, ops, keys = match.groups()
            rows[channel] = {"table": table, "ops": {o.strip() for o in ops.split(",")},
                             "keys": re.findall(r"`(\w+)`", keys)}
    return rows


def listener(url):
    conn = psycopg.connect(url, autocommit=True)
    for channel in contract():
        conn.execute(f"listen {channel}")
    return conn


def received(conn, wait=1.0):
    out = []
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for note in conn.notifies(timeout=max(0.05, deadline - time.monotonic())):
            out.append((note.channel, json.loads(note.payload)))
    return out


def test_the_triggers_match_the_documented_contract(db_conn):
    documented = contract()
    assert set(documented) == {"agentdb_messages", "agentdb_memories", "agentdb_documents", "agentdb_tasks",
                               "agentdb_workflows", "agentdb_spans"}
    rows = db_conn.execute("""
        select t.tgrelid::regclass::text, t.tgname, t.tgargs
          from pg_trigger t where t.tgfoid = 'ops.tg_notify'::regproc
    """).fetchall()
    actual: dict[str, dict] = {}
    for table, name, raw in rows:
        args = bytes(raw).decode().split("\x00")
        channel, keys = args[0], [k for k in args[1].split(",") if k]
        entry = actual.setdefault(channel, {"table": table, "ops": set(), "keys": keys})
        entry["ops"].add(name.rsplit("_", 1)[1])
        assert entry["keys"] == keys and entry["table"] == table
    assert actual == documented


def test_every_channel_fires_with_the_documented_payload(db_conn, db_url):
    docs = contract()
    ear = listener(db_url)
    coder = agent(db_conn, PERSONAL, "coder")
    conversation = one(db_conn, "insert into chat.conversations (tenant_id, agent_id) values (%s, %s) returning id",
                       (PERSONAL, coder))
    db_conn.execute("select chat.start_context_span(%s, %s)", (PERSONAL, coder))
    db_conn.execute("select * from chat.append_message(%s, 'user', 'hello', %s, %s)", (PERSONAL, conversation, coder))
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content) values (%s, %s, 'observation', "
                    "%s)", (PERSONAL, coder, "x" * 50_000))
    doc = one(db_conn, "insert into memory.documents (tenant_id, title) values (%s, 'd') returning id", (PERSONAL,))
    db_conn.execute("update memory.documents set content = 'v2' where id = %s", (doc,))
    wf = one(db_conn, "insert into work.workflows (tenant_id, name) values (%s, 'w') returning id", (PERSONAL,))
    db_conn.execute("update work.workflows set status = 'running' where id = %s", (wf,))
    task = one(db_conn, "insert into work.tasks (tenant_id, task_type, workflow_id) values (%s, 't', %s) "
                        "returning id", (PERSONAL, wf))
    db_conn.execute("select work.claim_tasks(%s, %s)", (PERSONAL, coder))
    db_conn.commit()
    events = received(ear)
    seen = {}
    for channel, payload in events:
        assert set(payload) == BASE_KEYS | set(docs[channel]["keys"]), (channel, payload)
        assert payload["tenant_id"] == str(PERSONAL) and payload["table"] == docs[channel]["table"]
        assert len(json.dumps(payload)) < 1300
        seen.setdefault(channel, []).append(payload)
    assert set(seen) == set(docs)
    assert seen["agentdb_messages"][0]["conversation_id"] == str(conversation)
    assert [p["op"] for p in seen["agentdb_documents"]] == ["insert", "update"]
    assert [p["status"] for p in seen["agentdb_tasks"]] == ["pending", "running"]
    assert seen["agentdb_tasks"][1]["ids"] == [str(task)]
    assert [p["status"] for p in seen["agentdb_workflows"]] == ["pending", "running"]


def test_no_event_for_rolled_back_work_and_events_wait_for_commit(db_conn, db_url):
    ear = listener(db_url)
    db_conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'never')", (PERSONAL,))
    assert received(ear, 0.5) == []  # not yet committed
    db_conn.rollback()
    assert received(ear, 0.5) == []
    db_conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'kept')", (PERSONAL,))
    db_conn.commit()
    assert [c for c, _ in received(ear)] == ["agentdb_messages"]


def test_a_10000_row_insert_is_one_event_per_conversation(db_conn, db_url):
    a = one(db_conn, "insert into chat.conversations (tenant_id) values (%s) returning id", (PERSONAL,))
    b = one(db_conn, "insert into chat.conversations (tenant_id) values (%s) returning id", (PERSONAL,))
    db_conn.commit()
    ear = listener(db_url)
    with db_conn.cursor().copy("copy chat.messages (tenant_id, conversation_id, role, content) from stdin") as copy:
        for i in range(10_000):
            copy.write_row((PERSONAL, a if i % 2 else b, "user", f"line {i}"))
    db_conn.commit()
    events = received(ear)
    assert sorted((p["conversation_id"], p["count"], len(p["ids"]), p["truncated"]) for _, p in events) == sorted(
        [(str(a), 5000, 20, True), (str(b), 5000, 20, True)])


def test_agentdb_listen_prints_committed_events_for_its_tenant(db_conn, db_url):
    other = one(db_conn, "insert into core.tenants (slug, name) values ('acme', 'Acme') returning id")
    db_conn.commit()
    agentdb = Path(sys.executable).with_name("agentdb")
    proc = subprocess.Popen([str(agentdb), "listen", "agentdb_messages", "--tenant", "acme", "--seconds", "4",
                             "--database-url", db_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "listening on agentdb_messages" in proc.stderr.readline()
        db_conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'theirs')", (PERSONAL,))
        db_conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'mine')", (other,))
        db_conn.commit()
        db_conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'undone')", (other,))
        db_conn.rollback()
        out, _ = proc.communicate(timeout=20)
    finally:
        proc.kill()
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 1
    assert lines[0]["channel"] == "agentdb_messages" and lines[0]["payload"]["tenant_id"] == str(other)
    assert lines[0]["payload"]["count"] == 1


def test_listen_refuses_unknown_channels(db_url):
    from .helpers import run_cli

    result = run_cli("listen", "agentdb_gossip", "--database-url", db_url)
    assert result.exit_code == 2 and "unknown channel" in result.stderr


def test_listen_reconnects_after_the_server_restarts():
    """On a server of its own (PostgreSQL 16), so the shared test server keeps running. Its
    data lives beside the test server's (pytest's tmp dirs are closed to the server's
    system user)."""
    import shutil
    import uuid

    from toolkit import config, migrator, server

    from .conftest import TEST_HOME

    home = TEST_HOME.parent / f"restart-{uuid.uuid4().hex[:8]}"
    state = server.start(home, 16)
    try:
        migrator.migrate(state.url, config.Project(ROOT), migrator.Settings())
        agentdb = Path(sys.executable).with_name("agentdb")
        proc = subprocess.Popen([str(agentdb), "listen", "agentdb_messages", "--seconds", "15", "--database-url",
                                 state.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert "listening" in proc.stderr.readline()
        server.stop(home, 16)
        time.sleep(1.5)
        state = server.start(home, 16)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # wait until the listener is back
            with psycopg.connect(state.url) as conn:
                if conn.execute("select count(*) from pg_stat_activity where query like 'listen%%'").fetchone()[0]:
                    break
            time.sleep(0.2)
        with psycopg.connect(state.url) as conn:
            conn.execute("insert into chat.messages (tenant_id, role, content) values (%s, 'user', 'after restart')",
                         (PERSONAL,))
        out, err = proc.communicate(timeout=30)
        assert "reconnecting" in err
        assert [json.loads(line)["payload"]["count"] for line in out.splitlines()] == [1]
    finally:
        server.stop(home, 16)
        shutil.rmtree(home, ignore_errors=True)
