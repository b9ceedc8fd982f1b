"""Tokyo-IA's documented SQL (seed 001), verbatim through the tokyo-ia pack, as the app
role with the tenant set: its example agents insert and its four query patterns."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

WORKFLOW = "670e9511-f3ac-52e5-b827-557766551111"


@pytest.fixture
def tokyo(owner_tenants, pack_client):
    return pack_client("tokyo-ia")


@pytest.fixture
def owner_tenants(db_conn):
    db_conn.execute("insert into core.tenants (slug, name) values ('tokyo', 'Tokyo-IA'), ('rival', 'Rival')")
    db_conn.commit()


def test_tokyo_ia_statements_verbatim(tokyo):
    statements, session = tokyo
    now = datetime.now(timezone.utc)
    with session("tokyo") as c:
        assert c.run("insert_agents") == 2
        assert c.sql("update agents set status = 'maintenance' where id = 'yuki-002'") == 1
        c.sql("insert into workflows (id, name, workflow_type, initiator) values (%s, 'review PR 7', 'code_review', 'ci')",
              WORKFLOW)
        c.sql("update workflows set status = 'running' where id = %s", WORKFLOW)
        tasks = [  # (agent, status, created, run time ms, tokens, cost)
            ("akira-001", "completed", now - timedelta(hours=1), 1200, 1000, "0.010000"),
            ("akira-001", "completed", now - timedelta(hours=2), 1800, 500, "0.005000"),
            ("akira-001", "failed", now - timedelta(hours=3), 100, 50, "0.000500"),
            ("akira-001", "completed", now - timedelta(hours=30), 9000, 7000, "0.070000"),
            ("yuki-002", "completed", now - timedelta(hours=1), 500, 300, "0.003000"),
        ]
        for agent, status, created, ms, tokens, cost in tasks:
            c.sql("insert into agent_tasks (agent_id, workflow_id, task_type, description, status, started_at, "
                  "completed_at, tokens_used, cost_usd, created_at) values (%s, %s, 'code_review', %s, %s, %s, %s, %s, %s, %s)",
                  agent, WORKFLOW, f"{agent} at {created:%H}h", status, created, created + timedelta(milliseconds=ms),
                  tokens, cost, created)

        active = c.run("active_agents")
        assert [(a["id"], a["personality_emoji"], a["specialties"]) for a in active] == [
            ("akira-001", "ä¾", ["security", "performance", "architecture"])]
        akira = active[0]
        assert (akira["total_tasks_completed"], akira["total_tokens_used"], akira["success_rate"]) == (3, 8550, 75.0)
        assert akira["average_latency_ms"] == 4000.0

        stats = c.run("agent_statistics")
        assert stats == [{"agent_id": "akira-001", "total_tasks": 2, "avg_latency": Decimal("1500.0000000000000000"),
                          "total_tokens": Decimal(1500), "total_cost": Decimal("0.015000")}]

        recent = c.run("recent_tasks")
        assert [t["status"] for t in recent] == ["completed", "completed", "failed", "completed"]
        assert [t["agent_id"] for t in recent] == ["akira-001"] * 4
        assert recent[0]["duration_ms"] == 1200 and recent[0]["workflow_id"] is not None

        c.fails("workflow_with_tasks")  # 42803: w.* with group by w.id on a view
        instead = c.instead("workflow_with_tasks")
        assert len(instead) == 1 and instead[0]["id"] is not None
        assert instead[0]["total_tasks"] == 5 and instead[0]["completed_tasks"] == 4
        assert instead[0]["failed_tasks"] == 1 and instead[0]["total_tokens_used"] == 8850
        assert sorted(t["agent_id"] for t in instead[0]["tasks"]) == ["akira-001"] * 4 + ["yuki-002"]

        c.sql("update workflows set status = 'completed' where id = %s", WORKFLOW)
        done = c.sql("select status, duration_ms, completed_at >= started_at as ordered from workflows")
        assert done == [{"status": "completed", "duration_ms": done[0]["duration_ms"], "ordered": True}]
        assert done[0]["duration_ms"] is not None

    # another tenant sees none of it, and may use the same agent ids
    with session("rival") as c:
        assert c.run("active_agents") == []
        assert c.run("recent_tasks") == []
        assert c.instead("workflow_with_tasks") == []
        assert c.run("insert_agents") == 2
        assert [a["total_tasks_completed"] for a in c.run("active_agents")] == [0, 0]


def test_tokyo_ia_writes_map_ids_and_refuse_unknown_agents(tokyo):
    _, session = tokyo
    with session("tokyo") as c:
        c.run("insert_agents")
        c.sql("insert into agent_metrics (agent_id, metric_type, metric_value, metric_unit) "
              "values ('akira-001', 'latency', 812.5, 'ms')")
        c.sql("insert into agent_interactions (from_agent_id, to_agent_id, interaction_type, message) "
              "values ('akira-001', 'yuki-002', 'handoff', 'tests next')")
        assert c.sql("select agent_id, metric_value, metric_unit from agent_metrics") == [
            {"agent_id": "akira-001", "metric_value": 812.5, "metric_unit": "ms"}]
        assert c.sql("select from_agent_id, to_agent_id from agent_interactions") == [
            {"from_agent_id": "akira-001", "to_agent_id": "yuki-002"}]
        c.sql("insert into core.users (tenant_id, external_id) values (ops.current_tenant_id(), 'user-7')")
        c.sql("insert into user_sessions (user_id, session_token, ip_address) values ('user-7', 's3cret', '10.0.0.1')")
        stored = c.sql("select session_token from user_sessions where user_id = 'user-7'")[0]["session_token"]
        assert stored != "s3cret" and len(stored) == 64
        assert c.sql("select count(*) as n from core.user_sessions where token_hash = "
                     "encode(sha256(convert_to('s3cret', 'UTF8')), 'hex')") == [{"n": 1}]
        task = c.sql("insert into agent_tasks (agent_id, task_type, description) values ('akira-001', 'lint', 'quick') "
                     "returning id")[0]["id"]
        assert c.sql("update agent_tasks set status = 'completed' where id = %s", task) == 1  # skips running
        assert c.sql("select status, duration_ms, completed_at is not null as ended from agent_tasks where id = %s",
                     task) == [{"status": "completed", "duration_ms": None, "ended": True}]
        with pytest.raises(Exception) as caught:
            with c.conn.transaction():
                c.sql("insert into agent_tasks (agent_id, task_type, description) values ('nobody-404', 'x', 'y')")
        assert caught.value.sqlstate == "23503" and "nobody-404" in str(caught.value)
