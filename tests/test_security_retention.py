"""Retention deletes only what was asked: on the demo data with every timestamp moved 40
days back, `agentdb maintain` deletes and archives nothing of tenants no policy names; once
AJ's tenant opts in (settings.aj_retention) the AJ policies clean exactly its expired
conversations (with their messages), files and agent states, and the dry run before said
exactly that (same verbs, same counts)."""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg import sql

from toolkit import demo
from toolkit.config import Project

from .conftest import ROOT
from .helpers import run_cli

SCHEMAS = ["core", "agents", "chat", "memory", "knowledge", "work", "ops"]


def _tenant_tables(conn) -> list[tuple[str, str]]:
    return conn.execute("""
        select c.oid::regclass::text, a.attname from pg_class c
          join pg_attribute a on a.attrelid = c.oid and not a.attisdropped
               and a.attname = case when c.oid = 'core.tenants'::regclass then 'id' else 'tenant_id' end
         where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p') and not c.relispartition
           and c.oid <> 'ops.audit_log'::regclass
         order by 1""", (SCHEMAS,)).fetchall()


def _snapshot(conn) -> dict[tuple[str, str], int]:
    """Rows per (table, tenant slug), as the owner."""
    counts = {}
    for table, key in _tenant_tables(conn):
        for slug, n in conn.execute(sql.SQL("select t.slug, count(*) from {} x join core.tenants t on t.id = x.{} "
                                            "group by 1").format(sql.SQL(table), sql.Identifier(key))):
            counts[(table, slug)] = n
    conn.commit()
    return counts


def _move_back(conn, days: int) -> None:
    """Every timestamp of every tenant-scoped table `days` earlier (triggers off, so
    updated_at keeps the moved value)."""
    conn.execute("set session_replication_role = replica")
    for table, _ in _tenant_tables(conn):
        columns = [r[0] for r in conn.execute(
            "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped "
            "and atttypid = 'timestamptz'::regtype and attgenerated = ''", (table,))]
        if columns:
            conn.execute(sql.SQL("update {} set {}").format(sql.SQL(table), sql.SQL(", ").join(
                sql.SQL("{c} = {c} - make_interval(days => %(d)s)").format(c=sql.Identifier(c)) for c in columns)),
                {"d": days})
    conn.execute("set session_replication_role = origin")
    conn.commit()


def _maintain(db_url: str, *flags: str) -> list[dict]:
    result = run_cli("maintain", *flags, "--database-url", db_url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [s for s in json.loads(result.stdout) if s["step"] == "retention"]


@pytest.fixture
def demo_40_days_old(db_conn):
    demo.load(db_conn, Project(ROOT))
    _move_back(db_conn, 40)
    return db_conn


def test_the_demo_forty_days_on_loses_nothing_live(db_url, demo_40_days_old):
    conn = demo_40_days_old
    before = _snapshot(conn)
    assert before[("chat.conversations", "cirkelline")] == 3 and before[("memory.memories", "heartwood")] == 80
    steps = _maintain(db_url)
    assert {s["rows"] for s in steps} == {0}, steps
    assert _snapshot(conn) == before


def test_an_aj_style_policy_cleans_exactly_the_tenant_that_asked(db_url, demo_40_days_old):
    conn = demo_40_days_old
    conn.execute("update core.tenants set settings = settings || '{\"aj_retention\": true}' where slug = 'aj-acme'")
    conn.commit()
    before = _snapshot(conn)
    expired = {table: before.get((table, "aj-acme"), 0)
               for table in ("chat.conversations", "chat.messages", "chat.files", "chat.message_files",
                             "agents.agent_states")}
    assert expired["chat.conversations"] > 0 and expired["chat.files"] > 0

    dry = _maintain(db_url, "--dry-run")
    assert _snapshot(conn) == before  # the dry run changed nothing
    real = _maintain(db_url)
    # the dry run said exactly what the run then did: same policies, verbs and counts
    assert [(s["table"], s["done"].replace("would delete", "deleted").replace("would archive", "archived"), s["rows"])
            for s in dry] == [(s["table"], s["done"], s["rows"]) for s in real]
    assert all(s["done"].startswith("would ") for s in dry) and not any("would" in s["done"] for s in real)
    done = {s["table"]: s["rows"] for s in real if s["rows"]}
    # the demo's one attachment belongs to the conversation and goes with it, before the files policy runs
    assert done == {"chat.conversations": expired["chat.conversations"]}

    after = _snapshot(conn)
    for (table, slug), n in before.items():
        if slug == "aj-acme" and table in expired:
            assert after.get((table, slug), 0) == 0, table  # cleaned, messages and attachments with them
        elif slug == "aj-acme" and "bm25" in table:
            continue  # the keyword index of the deleted messages follows them
        else:
            assert after.get((table, slug), 0) == n, (table, slug)  # nothing else of anyone


def test_a_policy_that_names_no_tenant_is_refused(db_conn):
    with pytest.raises(psycopg.errors.CheckViolation, match="scope"):
        db_conn.execute("insert into ops.retention_policies (table_name, time_column, keep_for, action) "
                        "values ('chat.files', 'created_at', '1 day', 'delete')")
    db_conn.rollback()
    with pytest.raises(psycopg.errors.CheckViolation, match="drop_partitions"):
        db_conn.execute("insert into ops.retention_policies (table_name, time_column, keep_for, action, tenant_setting)"
                        " values ('work.metrics', 'recorded_at', '1 day', 'drop_partitions', 'x')")


def test_live_conversations_and_important_memories_stay_unless_a_policy_says_so(db_conn, db_url):
    def one(q, *p):
        return db_conn.execute(q, p).fetchone()[0]

    t = one("insert into core.tenants (slug, name, settings) values ('keep', 'Keep', "
            "'{\"memory_archiving\": true}') returning id")
    agent = one("insert into agents.agents (tenant_id, name) values (%s, 'bot') returning id", t)
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content, importance, last_accessed_at) "
                    "values (%s, %s, 'reflection', 'important', 9, now() - interval '40 days'), "
                    "(%s, %s, 'observation', 'trivial', 2, now() - interval '40 days')", (t, agent, t, agent))
    db_conn.execute("insert into ops.retention_policies (table_name, time_column, keep_for, action, tenant_ids) "
                    "values ('chat.conversations', 'updated_at', '1 day', 'delete', array[%s]::uuid[])", (t,))
    conversation = one("insert into chat.conversations (tenant_id, title) values (%s, 'live') returning id", t)
    db_conn.execute("set session_replication_role = replica")
    db_conn.execute("update chat.conversations set updated_at = now() - interval '40 days' where id = %s",
                    (conversation,))
    db_conn.execute("set session_replication_role = origin")
    db_conn.commit()
    _maintain(db_url)
    assert one("select count(*) from chat.conversations where tenant_id = %s", t) == 1  # live: kept
    assert {r[0] for r in db_conn.execute("select content from memory.memories where tenant_id = %s", (t,))} == {
        "important"}
    assert one("select count(*) from memory.archived_memories where tenant_id = %s", t) == 1
