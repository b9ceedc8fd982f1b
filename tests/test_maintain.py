"""Partition upkeep and retention: `agentdb maintain` under writers, policies applied
exactly, and archive-then-delete that never loses a row."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg

from .helpers import run_cli
from .sample import PERSONAL, agent, one

WRITER = """
import random, sys, time, psycopg
from datetime import datetime, timedelta, timezone
url, name, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
now = datetime.now(timezone.utc)
rng = random.Random(name)
written = 0
deadline = time.monotonic() + seconds
with psycopg.connect(url, autocommit=True) as conn:
    while time.monotonic() < deadline:
        rows = []
        for _ in range(50):
            kind = rng.random()
            if kind < 0.2:
                at = now - timedelta(days=rng.randint(40, 400))       # past: older partitions or default
            elif kind < 0.6:
                at = now + timedelta(days=rng.uniform(-1, 1))          # present
            elif kind < 0.9:
                at = now + timedelta(days=rng.randint(100, 240))       # ahead of the premade range
            else:
                at = now + timedelta(days=rng.randint(3650, 7000))     # far future: stays in default
            rows.append(("00000000-0000-7000-8000-000000000001", "user", f"{name}-{written + len(rows)}", at))
        with conn.transaction():
            with conn.cursor() as cur:
                cur.executemany("insert into chat.messages (tenant_id, role, content, created_at) values (%s, %s, %s, %s)", rows)
        written += len(rows)
print(written)
"""


def test_maintain_creates_partitions_ahead_and_moves_default_rows(db_conn, db_url):
    db_conn.execute("insert into chat.messages (tenant_id, role, content, created_at) "
                    "values (%s, 'user', 'early', now() + interval '5 months')", (PERSONAL,))
    db_conn.execute("update ops.partition_policies set premake = 6 where table_name = 'chat.messages'")
    db_conn.commit()
    result = run_cli("maintain", "--database-url", db_url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    steps = json.loads(result.stdout)
    created = next(s for s in steps if s["step"] == "partitions" and s["table"] == "chat.messages")["done"]
    assert created.startswith("created ") and created.count("messages_p") == 3
    assert one(db_conn, "select count(*) from chat.messages_default") == 0
    assert one(db_conn, "select tableoid::regclass::text like 'chat.messages_p%%' from chat.messages "
                        "where content = 'early'") is True
    again = json.loads(run_cli("maintain", "--database-url", db_url, "--format", "json").stdout)
    assert next(s for s in again if s["table"] == "chat.messages")["done"] == "current"


def test_dry_run_changes_nothing(db_conn, db_url):
    org = one(db_conn, "insert into core.tenants (slug, name, settings) values ('aj', 'AJ', "
                       "'{\"aj_retention\": true}') returning id")
    db_conn.execute("insert into chat.files (tenant_id, kind, name, created_at) values (%s, 'upload', 'old.pdf', "
                    "now() - interval '40 days')", (org,))
    db_conn.commit()
    result = run_cli("maintain", "--dry-run", "--database-url", db_url, "--format", "json")
    files = next(s for s in json.loads(result.stdout) if s["table"] == "chat.files")
    assert files["rows"] == 1 and files["done"].startswith("would delete 1 row(s)")
    assert one(db_conn, "select count(*) from chat.files") == 1


def test_retention_removes_what_is_past_the_limit_and_nothing_newer(db_conn, db_url):
    org = one(db_conn, "insert into core.tenants (slug, name, settings) values ('aj', 'AJ', "
                       "'{\"aj_retention\": true, \"memory_archiving\": true}') returning id")
    bot = agent(db_conn, org, "bot")
    user = one(db_conn, "insert into core.users (tenant_id, email) values (%s, 'a@aj.test') returning id", (org,))
    for tenant, label, age in [(org, "org-old", 40), (org, "org-new", 10), (PERSONAL, "personal-old", 400)]:
        conversation = one(db_conn, "insert into chat.conversations (tenant_id, title) values (%s, %s) returning id",
                           (tenant, label))
        db_conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content) values "
                        "(%s, %s, 'user', %s)", (tenant, conversation, label))
        db_conn.execute("alter table chat.conversations disable trigger _100_set_updated_at")
        db_conn.execute("update chat.conversations set updated_at = now() - make_interval(days => %s) where id = %s",
                        (age, conversation))
        db_conn.execute("alter table chat.conversations enable trigger _100_set_updated_at")
    db_conn.execute("insert into chat.conversations (tenant_id, title, archived_at) values "
                    "(%s, 'personal-binned', now() - interval '31 days')", (PERSONAL,))
    db_conn.execute("insert into agents.agent_states (tenant_id, agent_id, user_id) values (%s, %s, %s)",
                    (org, bot, user))
    db_conn.execute("alter table agents.agent_states disable trigger _100_set_updated_at")
    db_conn.execute("update agents.agent_states set updated_at = now() - interval '31 days'")
    db_conn.execute("alter table agents.agent_states enable trigger _100_set_updated_at")
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content, last_accessed_at) "
                    "select %s, %s, 'fact', 'm' || g, now() - make_interval(days => g) + interval '12 hours' "
                    "from generate_series(1, 60) g",
                    (org, bot))
    db_conn.commit()
    assert run_cli("maintain", "--database-url", db_url).exit_code == 0
    titles = {r[0] for r in db_conn.execute("select title from chat.conversations")}
    assert titles == {"org-new", "personal-old"}  # personal tenants keep their history
    assert {r[0] for r in db_conn.execute("select content from chat.messages")} == {"org-new", "personal-old"}
    assert one(db_conn, "select count(*) from agents.agent_states") == 0
    assert one(db_conn, "select count(*) from memory.memories") == 30
    assert one(db_conn, "select count(*) from memory.archived_memories") == 30


def test_drop_partitions_policy(db_conn, db_url):
    bot = agent(db_conn, PERSONAL, "bot")
    db_conn.execute("select ops.ensure_time_partitions('work.metrics', 'month', 6, 1)")
    db_conn.execute("insert into work.metrics (tenant_id, agent_id, metric_type, value, recorded_at) "
                    "select %s, %s, 'latency', g, now() - make_interval(days => g * 10) from generate_series(0, 40) g",
                    (PERSONAL, bot))
    db_conn.execute("insert into ops.retention_policies (table_name, time_column, keep_for, action, all_tenants) "
                    "values ('work.metrics', 'recorded_at', '90 days', 'drop_partitions', true)")
    db_conn.commit()
    before = one(db_conn, "select count(*) from work.metrics")
    db_conn.commit()  # an open transaction that read the table would (rightly) make maintain skip it
    steps = json.loads(run_cli("maintain", "--database-url", db_url, "--format", "json").stdout)
    metrics = next(s for s in steps if s["table"] == "work.metrics" and s["step"] == "retention")
    assert "partition" in metrics["done"]
    assert one(db_conn, "select count(*) from work.metrics where recorded_at < now() - interval '90 days'") == 0
    kept = one(db_conn, "select count(*) from work.metrics")
    assert kept == before - metrics["rows"] and kept >= 9  # days 0..90 are all kept


def test_archive_then_delete_loses_nothing_when_killed_mid_run(db_conn, db_url):
    org = one(db_conn, "insert into core.tenants (slug, name, settings) values ('cirk', 'Cirk', "
                       "'{\"memory_archiving\": true}') returning id")
    bot = agent(db_conn, org, "bot")
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content, last_accessed_at) "
                    "select %s, %s, 'fact', repeat('m', 200) || g, now() - interval '60 days' "
                    "from generate_series(1, 150000) g", (org, bot))
    db_conn.commit()
    policy = one(db_conn, "select id from ops.retention_policies where table_name = 'memory.memories'")
    runner = subprocess.Popen([sys.executable, "-c",
                               "import sys, psycopg; c = psycopg.connect(sys.argv[1], application_name='retention-run');"
                               "c.execute('select * from ops.apply_retention_policy(%s)', (int(sys.argv[2]),)); c.commit()",
                               db_url, str(policy)], stderr=subprocess.PIPE)
    with psycopg.connect(db_url, autocommit=True) as watcher:
        deadline = time.monotonic() + 20
        killed = False
        while time.monotonic() < deadline and runner.poll() is None:
            row = watcher.execute("select pid from pg_stat_activity where application_name = 'retention-run' "
                                  "and state = 'active' and query like '%%apply_retention_policy%%'").fetchone()
            if row:
                time.sleep(0.2)
                killed = watcher.execute("select pg_terminate_backend(%s)", (row[0],)).fetchone()[0]
                break
            time.sleep(0.02)
    runner.wait(timeout=30)
    live = one(db_conn, "select count(*) from memory.memories")
    archived = one(db_conn, "select count(*) from memory.archived_memories")
    overlap = one(db_conn, "select count(*) from memory.memories m join memory.archived_memories a using (tenant_id, id)")
    assert killed and runner.returncode != 0
    assert live + archived == 150000 and overlap == 0
    assert (live, archived) in ((150000, 0), (0, 150000))
    db_conn.execute("select * from ops.apply_retention_policy(%s)", (policy,))
    db_conn.commit()
    assert (one(db_conn, "select count(*) from memory.memories"),
            one(db_conn, "select count(*) from memory.archived_memories")) == (0, 150000)


def test_no_row_lost_with_four_writers_while_maintain_runs(db_conn, db_url):
    db_conn.execute("update ops.partition_policies set premake = 3 where table_name = 'chat.messages'")
    db_conn.commit()
    seconds = 30
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, db_url, f"w{i}", str(seconds)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(4)]
    agentdb = str(Path(sys.executable).with_name("agentdb"))
    runs = 0
    premake = 3
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        premake = min(premake + 1, 9)  # widen the window: new partitions over rows in default
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("update ops.partition_policies set premake = %s where table_name = 'chat.messages'",
                         (premake,))
        result = subprocess.run([agentdb, "maintain", "--database-url", db_url], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        runs += 1
        time.sleep(0.5)
    outputs = [w.communicate(timeout=120) for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], [err for _, err in outputs]
    written = sum(int(out.strip()) for out, _ in outputs)
    final = subprocess.run([agentdb, "maintain", "--database-url", db_url], capture_output=True, text=True)
    assert final.returncode == 0
    total, distinct = db_conn.execute("select count(*), count(distinct content) from chat.messages").fetchone()
    assert runs >= 5 and written > 1000
    assert total == distinct == written
    upper = one(db_conn, "select max((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]"
                         "::timestamptz) from pg_inherits h join pg_class c on c.oid = h.inhrelid "
                         "where h.inhparent = 'chat.messages'::regclass")
    lower = one(db_conn, "select min((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1]"
                         "::timestamptz) from pg_inherits h join pg_class c on c.oid = h.inhrelid "
                         "where h.inhparent = 'chat.messages'::regclass")
    stray = one(db_conn, "select count(*) from chat.messages_default where created_at >= %s and created_at < %s",
                (lower, upper))
    assert stray == 0
    assert upper > datetime.now(timezone.utc) + timedelta(days=200)
