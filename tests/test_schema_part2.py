"""Schema part 2 (work): status and counter triggers, the queue, metrics, statistics."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from .helpers import run_cli
from .sample import PERSONAL, agent, one

WORKER = Path(__file__).with_name("queue_worker.py")


def task(conn, **columns):
    columns.setdefault("task_type", "code_review")
    cols = ["tenant_id", *columns]
    values = [PERSONAL, *columns.values()]
    marks = ", ".join(["%s"] * len(values))
    return one(conn, f"insert into work.tasks ({', '.join(cols)}) values ({marks}) returning id", values)


def row(conn, task_id, *cols):
    return conn.execute(f"select {', '.join(cols)} from work.tasks where id = %s", (task_id,)).fetchone()


def set_status(conn, task_id, status, **extra):
    sets = ", ".join(["status = %s", *(f"{k} = %s" for k in extra)])
    conn.execute(f"update work.tasks set {sets} where id = %s", (status, *extra.values(), task_id))


@pytest.mark.parametrize("terminal", ["completed", "failed", "cancelled"])
def test_every_terminal_status_gets_completed_at_and_duration(db_conn, terminal):
    t = task(db_conn)
    set_status(db_conn, t, "running")
    started = row(db_conn, t, "started_at")[0]
    assert started is not None
    db_conn.execute("select pg_sleep(0.02)")
    set_status(db_conn, t, terminal)
    started_at, completed_at, duration = row(db_conn, t, "started_at", "completed_at", "duration_ms")
    assert started_at == started and completed_at > started_at
    assert duration == round((completed_at - started_at).total_seconds() * 1000) and duration >= 20


def test_times_the_client_sets_are_kept(db_conn):
    t = task(db_conn)
    start = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
    set_status(db_conn, t, "running", started_at=start)
    set_status(db_conn, t, "completed", completed_at=start + timedelta(seconds=90))
    assert row(db_conn, t, "started_at", "completed_at", "duration_ms") == (start, start + timedelta(seconds=90),
                                                                          90000)


def test_a_duration_is_never_negative(db_conn):
    t = task(db_conn, status="running", started_at="2026-05-01T12:00:00Z")
    with pytest.raises(psycopg.errors.CheckViolation, match="is before started_at"):
        set_status(db_conn, t, "completed", completed_at="2026-05-01T11:00:00Z")


def test_cancelled_before_starting_has_no_duration(db_conn):
    t = task(db_conn)
    set_status(db_conn, t, "cancelled")
    started_at, completed_at, duration = row(db_conn, t, "started_at", "completed_at", "duration_ms")
    assert started_at is None and completed_at is not None and duration is None


def test_inserted_finished_task_gets_its_duration(db_conn):
    t = task(db_conn, status="completed", started_at="2026-05-01T12:00:00Z", completed_at="2026-05-01T12:00:02.5Z")
    assert row(db_conn, t, "duration_ms")[0] == 2500


@pytest.mark.parametrize("table", ["work.tasks", "work.workflows"])
@pytest.mark.parametrize("path, bad", [
    (["running", "completed"], "running"),
    (["running", "completed"], "pending"),
    (["cancelled"], "running"),
    (["running", "cancelled"], "pending"),
    (["running", "failed"], "completed"),
])
def test_illegal_transitions_are_refused(db_conn, table, path, bad):
    if table == "work.tasks":
        target = task(db_conn)
    else:
        target = one(db_conn, "insert into work.workflows (tenant_id, name) values (%s, 'w') returning id", (PERSONAL,))
    for status in path:
        db_conn.execute(f"update {table} set status = %s where id = %s", (status, target))
    with pytest.raises(psycopg.errors.CheckViolation) as caught:
        db_conn.execute(f"update {table} set status = %s where id = %s", (bad, target))
    assert f"cannot change status from {path[-1]} to {bad}" in str(caught.value)


def test_a_retry_counts_and_starts_afresh(db_conn):
    t = task(db_conn)
    set_status(db_conn, t, "running")
    set_status(db_conn, t, "failed", error_message="timeout")
    set_status(db_conn, t, "pending")
    assert row(db_conn, t, "retry_count", "started_at", "completed_at", "duration_ms") == (1, None, None, None)
    set_status(db_conn, t, "running")
    set_status(db_conn, t, "completed")
    assert row(db_conn, t, "retry_count", "status")[0] == 1


def test_updated_at_changes_on_update(db_conn):
    t = task(db_conn)
    db_conn.commit()
    before = row(db_conn, t, "updated_at")[0]
    db_conn.execute("update work.tasks set description = 'x' where id = %s", (t,))
    db_conn.commit()
    assert row(db_conn, t, "updated_at")[0] > before


def _workflow(conn, name="w"):
    return one(conn, "insert into work.workflows (tenant_id, name) values (%s, %s) returning id", (PERSONAL, name))


def _counters(conn, wf):
    return conn.execute("select total_tasks, completed_tasks, failed_tasks, total_tokens, total_cost_usd "
                        "from work.workflows where id = %s", (wf,)).fetchone()


def test_workflow_counters_follow_inserts_updates_moves_and_deletes(db_conn):
    wf, other = _workflow(db_conn), _workflow(db_conn, "other")
    a, b, c = (task(db_conn, workflow_id=wf, tokens_used=10, cost_usd=Decimal("0.5")) for _ in range(3))
    assert _counters(db_conn, wf) == (3, 0, 0, 30, Decimal("1.5"))
    set_status(db_conn, a, "running")
    set_status(db_conn, a, "completed", tokens_used=25)
    set_status(db_conn, b, "running")
    set_status(db_conn, b, "failed")
    assert _counters(db_conn, wf) == (3, 1, 1, 45, Decimal("1.5"))
    db_conn.execute("update work.tasks set workflow_id = %s where id = %s", (other, c))
    assert _counters(db_conn, wf) == (2, 1, 1, 35, Decimal("1.0"))
    assert _counters(db_conn, other) == (1, 0, 0, 10, Decimal("0.5"))
    db_conn.execute("delete from work.tasks where id = %s", (a,))
    assert _counters(db_conn, wf) == (1, 0, 1, 10, Decimal("0.5"))
    set_status(db_conn, b, "pending")  # retry: no longer failed
    assert _counters(db_conn, wf) == (1, 0, 0, 10, Decimal("0.5"))


def test_workflow_counters_stay_exact_under_concurrent_task_updates(db_conn, db_url):
    wf = _workflow(db_conn)
    ids = [task(db_conn, workflow_id=wf) for _ in range(200)]
    db_conn.commit()
    errors = []

    def worker(chunk):
        try:
            with psycopg.connect(db_url, autocommit=True) as conn:
                for n, task_id in enumerate(chunk):
                    conn.execute("update work.tasks set status = 'running' where id = %s", (task_id,))
                    final = "failed" if n % 5 == 0 else "completed"
                    conn.execute("update work.tasks set status = %s, tokens_used = 7, cost_usd = 0.01 "
                                 "where id = %s", (final, task_id))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(ids[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    truth = db_conn.execute(
        "select count(*), count(*) filter (where status = 'completed'), count(*) filter (where status = 'failed'), "
        "sum(tokens_used), sum(cost_usd) from work.tasks where workflow_id = %s", (wf,)).fetchone()
    assert _counters(db_conn, wf) == truth == (200, 160, 40, 1400, Decimal("2.00"))


def test_claim_takes_priority_then_age_and_respects_assignment(db_conn):
    me, other = agent(db_conn, PERSONAL, "me"), agent(db_conn, PERSONAL, "other")
    old_low = task(db_conn, description="old low", created_at="2026-01-01")
    new_high = task(db_conn, description="new high", priority=5, created_at="2026-01-03")
    old_high = task(db_conn, description="old high", priority=5, created_at="2026-01-02")
    task(db_conn, description="someone else's", priority=9, assigned_agent_id=other)
    task(db_conn, description="given to other", priority=9, agent_id=other)
    task(db_conn, description="other type", priority=9, task_type="deploy")
    claimed = db_conn.execute("select id, status, agent_id, attempts from work.claim_tasks(%s, %s, 10, "
                              "array['code_review'])", (PERSONAL, me)).fetchall()
    assert [c[0] for c in claimed] == [old_high, new_high, old_low]
    assert {(c[1], c[2], c[3]) for c in claimed} == {("running", me, 1)}
    assert db_conn.execute("select * from work.claim_tasks(%s, %s, 10, array['code_review'])",
                           (PERSONAL, me)).fetchall() == []


def test_an_expired_lease_is_reclaimed_and_the_old_worker_is_fenced_off(db_conn):
    me = agent(db_conn, PERSONAL, "me")
    t = task(db_conn)
    first = db_conn.execute("select id, attempts from work.claim_tasks(%s, %s, 1, p_lease => '20 milliseconds')",
                            (PERSONAL, me)).fetchone()
    assert first == (t, 1)
    assert db_conn.execute("select * from work.claim_tasks(%s, %s)", (PERSONAL, me)).fetchall() == []
    time.sleep(0.05)
    again = db_conn.execute("select id, attempts from work.claim_tasks(%s, %s)", (PERSONAL, me)).fetchone()
    assert again == (t, 2)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState), db_conn.transaction():
        db_conn.execute("select work.complete_task(%s, %s, %s, p_attempt => 1)", (PERSONAL, t, me))
    db_conn.execute("select work.extend_lease(%s, %s, %s, '1 hour', 2)", (PERSONAL, t, me))
    done = db_conn.execute("select (work.complete_task(%s, %s, %s, '{\"a\": 1}', 5, 0.2, 2)).status",
                           (PERSONAL, t, me)).fetchone()[0]
    assert done == "completed"
    assert row(db_conn, t, "lease_expires_at", "tokens_used", "attempts") == (None, 5, 2)


def test_fail_task_retries_until_retries_run_out(db_conn):
    me = agent(db_conn, PERSONAL, "me")
    t = task(db_conn, max_retries=1)
    db_conn.execute("select work.claim_tasks(%s, %s)", (PERSONAL, me))
    status = one(db_conn, "select (work.fail_task(%s, %s, %s, 'boom')).status", (PERSONAL, t, me))
    assert status == "pending" and row(db_conn, t, "retry_count", "agent_id") == (1, None)
    db_conn.execute("select work.claim_tasks(%s, %s)", (PERSONAL, me))
    status = one(db_conn, "select (work.fail_task(%s, %s, %s, 'boom again')).status", (PERSONAL, t, me))
    assert status == "failed" and row(db_conn, t, "error_message")[0] == "boom again"


def test_four_worker_processes_claim_2000_tasks_exactly_once(db_conn, db_url):
    me = agent(db_conn, PERSONAL, "worker")
    db_conn.execute("insert into work.tasks (tenant_id, task_type, priority) "
                    "select %s, 'job', g %% 3 from generate_series(1, 2000) g", (PERSONAL,))
    db_conn.commit()
    procs = [subprocess.Popen([sys.executable, str(WORKER), db_url, str(PERSONAL), str(me), str(batch)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for batch in (1, 1, 5, 10)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outputs]
    claimed = [line for out, _ in outputs for line in out.split()]
    assert len(claimed) == 2000 and len(set(claimed)) == 2000
    assert all(out.split() for out, _ in outputs), "every worker got some work"
    assert db_conn.execute("select count(*) filter (where status = 'completed'), max(attempts), min(attempts) "
                           "from work.tasks").fetchone() == (2000, 1, 1)


def test_metrics_land_in_monthly_partitions(db_conn):
    me = agent(db_conn, PERSONAL, "me")
    now = one(db_conn, "select now()")
    db_conn.execute("insert into work.metrics (tenant_id, agent_id, metric_type, value, recorded_at) values "
                    "(%s, %s, 'latency', 120, now()), (%s, %s, 'latency', 80, '2050-01-01')",
                    (PERSONAL, me, PERSONAL, me))
    where = dict(db_conn.execute("select value, tableoid::regclass::text from work.metrics").fetchall())
    assert where == {120.0: f"work.metrics_p{now:%Y_%m}", 80.0: "work.metrics_default"}


@pytest.fixture
def tokyo(db_conn, db_url):
    """Tokyo-IA's two example agents, a finished workflow with sub-tasks, a failure."""
    akira = agent(db_conn, PERSONAL, "Akira - Code Review Master", "akira-001", role="code_review",
                  model="claude-opus-4.1", specialties=["security", "performance", "architecture"])
    yuki = agent(db_conn, PERSONAL, "Yuki - Test Engineering Specialist", "yuki-002", role="test_engineering",
                 model="openai-o3", specialties=["unit_testing", "integration_testing", "e2e_testing"])
    db_conn.execute("update agents.agents set status = 'maintenance' where id = %s", (yuki,))
    wf = _workflow(db_conn, "review PR 42")
    root = task(db_conn, workflow_id=wf, agent_id=akira, description="review", created_at="2026-01-01T00:00:00Z")
    child = task(db_conn, workflow_id=wf, agent_id=akira, parent_task_id=root, description="security pass",
                 created_at="2026-01-01T00:00:01Z")
    grandchild = task(db_conn, workflow_id=wf, agent_id=akira, parent_task_id=child, description="deps audit",
                      created_at="2026-01-01T00:00:02Z")
    sibling = task(db_conn, workflow_id=wf, agent_id=akira, parent_task_id=root, description="perf pass",
                   created_at="2026-01-01T00:00:03Z")
    db_conn.execute("update work.workflows set status = 'running' where id = %s", (wf,))
    for t, ms, tokens in ((root, 1000, 100), (child, 3000, 300), (grandchild, 2000, 50)):
        set_status(db_conn, t, "running")
        db_conn.execute("update work.tasks set status = 'completed', tokens_used = %s, cost_usd = 0.25, "
                        "started_at = now() - make_interval(secs => %s / 1000.0), completed_at = now(), "
                        "created_at = now() - interval '1 hour' where id = %s", (tokens, ms, t))
    db_conn.execute("update work.tasks set status = 'running', created_at = now() - interval '1 hour' "
                    "where id = %s", (sibling,))
    db_conn.execute("update work.tasks set status = 'failed', error_message = 'OOM' where id = %s", (sibling,))
    db_conn.execute("insert into work.metrics (tenant_id, agent_id, metric_type, value, recorded_at) "
                    "select %s, %s, 'latency', g, now() - interval '3 hours' + g * interval '1 minute' "
                    "from generate_series(1, 120) g", (PERSONAL, akira))
    db_conn.commit()
    return {"akira": akira, "yuki": yuki, "wf": wf, "root": root, "child": child, "grandchild": grandchild,
            "sibling": sibling, "url": db_url}


def q(url, name, *params):
    args = ["query", name, "--database-url", url, "--format", "json"]
    for p in params:
        args += ["-p", p]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_tokyo_query_patterns(tokyo):
    url = tokyo["url"]
    assert [r["slug"] for r in q(url, "active_agents")] == ["akira-001"]
    stats = q(url, "agent_statistics", "agent=akira-001")
    assert stats == [{"slug": "akira-001", "name": "Akira - Code Review Master", "tasks_completed": 3,
                      "tasks_failed": 1, "average_latency_ms": 2000.0, "total_tokens": 450,
                      "total_cost_usd": 0.75, "success_rate": 75.0}]
    old_window = q(url, "agent_statistics", "agent=akira-001", "since=2020-01-01", "until=2020-02-01")
    assert old_window[0]["tasks_completed"] == 0
    recent = q(url, "agent_recent_tasks", "agent=akira-001", "limit=2")
    assert len(recent) == 2
    wf = q(url, "workflow_with_tasks", f"workflow={tokyo['wf']}")[0]
    assert (wf["total_tasks"], wf["completed_tasks"], wf["failed_tasks"], wf["total_tokens"]) == (4, 3, 1, 450)
    assert [t["description"] for t in wf["tasks"]] == ["review", "security pass", "deps audit", "perf pass"]


def test_running_and_failed_queries(tokyo):
    url = tokyo["url"]
    running = q(url, "running_workflows")
    assert [(r["name"], r["progress_percent"]) for r in running] == [("review PR 42", 100.0)]
    failed = q(url, "failed_tasks")
    assert [(r["description"], r["error_message"]) for r in failed] == [("perf pass", "OOM")]


def test_task_tree_is_recursive_and_depth_first(tokyo):
    tree = q(tokyo["url"], "task_tree", f"task={tokyo['root']}")
    assert [(r["description"], r["depth"]) for r in tree] == [
        ("review", 0), ("security pass", 1), ("deps audit", 2), ("perf pass", 1)]


def test_metric_series_in_buckets(tokyo):
    series = q(tokyo["url"], "agent_metric_series", "agent=akira-001", "metric_type=latency", "bucket=1 hour",
               "since=2000-01-01")
    assert sum(r["samples"] for r in series) == 120
    assert len(series) in (2, 3)
    assert min(r["minimum"] for r in series) == 1 and max(r["maximum"] for r in series) == 120


def test_agent_statistics_view_agrees_with_tasks(tokyo, db_conn):
    stats = db_conn.execute("select total_tasks, tasks_completed, tasks_failed, total_tokens, success_rate "
                            "from work.agent_statistics where agent_id = %s", (tokyo["akira"],)).fetchone()
    assert stats == (4, 3, 1, 450, Decimal("75.00"))
    yuki = db_conn.execute("select total_tasks, success_rate from work.agent_statistics where agent_id = %s",
                           (tokyo["yuki"],)).fetchone()
    assert yuki == (0, None)


def test_interactions_types_are_checked(tokyo, db_conn):
    db_conn.execute("insert into work.interactions (tenant_id, workflow_id, from_agent_id, to_agent_id, "
                    "interaction_type, message) values (%s, %s, %s, %s, 'handoff', 'your turn')",
                    (PERSONAL, tokyo["wf"], tokyo["akira"], tokyo["yuki"]))
    with pytest.raises(psycopg.errors.CheckViolation, match="interactions_interaction_type_check"):
        db_conn.execute("insert into work.interactions (tenant_id, from_agent_id, to_agent_id, interaction_type) "
                        "values (%s, %s, %s, 'gossip')", (PERSONAL, tokyo["akira"], tokyo["yuki"]))


LEGAL = [("pending", "running"), ("pending", "completed"), ("pending", "cancelled"), ("pending", "failed"),
         ("running", "completed"),
         ("running", "failed"), ("running", "cancelled"), ("running", "pending"), ("failed", "pending")]


@pytest.mark.parametrize("table", ["work.tasks", "work.workflows"])
@pytest.mark.parametrize("start, end", LEGAL)
def test_legal_transitions_are_accepted(db_conn, table, start, end):
    if table == "work.tasks":
        target = task(db_conn)
    else:
        target = one(db_conn, "insert into work.workflows (tenant_id, name) values (%s, 'w') returning id", (PERSONAL,))
    path = {"pending": [], "running": ["running"], "failed": ["running", "failed"]}[start]
    for status in [*path, end]:
        db_conn.execute(f"update {table} set status = %s where id = %s", (status, target))
    assert one(db_conn, f"select status from {table} where id = %s", (target,)) == end
