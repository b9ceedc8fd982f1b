"""Tokyo-IA: agents, workflows with tasks and sub-tasks, a failure and its retry, the
four query patterns."""

from __future__ import annotations

import psycopg
import pytest

from .conftest import one


def test_tokyo_flows(owner, client, named):
    owner.execute("insert into core.tenants (slug, name) values ('tokyo', 'Tokyo-IA')")
    with client("tokyo") as c:
        t = one(c, "select ops.current_tenant_id()")
        akira = one(c, "insert into agents.agents (tenant_id, name, slug, role, model, specialties, personality) values "
                       "(%s, 'Akira - Code Review Master', 'akira-001', 'code_review', 'claude-opus-4.1', "
                       "array['security', 'performance', 'architecture'], '{\"emoji\": \"侍\"}') returning id", t)
        one(c, "insert into agents.agents (tenant_id, name, slug, role, model, specialties) values "
               "(%s, 'Yuki - Test Engineering Specialist', 'yuki-002', 'test_engineering', 'openai-o3', "
               "array['unit_testing', 'integration_testing', 'e2e_testing']) returning id", t)
        done = one(c, "insert into work.workflows (tenant_id, name, workflow_type) values (%s, 'review', 'code_review') "
                      "returning id", t)
        c.execute("update work.workflows set status = 'running' where id = %s", (done,))
        root = one(c, "insert into work.tasks (tenant_id, workflow_id, agent_id, task_type, description) values "
                      "(%s, %s, %s, 'code_review', 'review PR') returning id", t, done, akira)
        child = one(c, "insert into work.tasks (tenant_id, workflow_id, agent_id, parent_task_id, task_type, description) "
                       "values (%s, %s, %s, %s, 'security', 'scan deps') returning id", t, done, akira, root)
        claimed = dict(c.execute("select id, attempts from work.claim_tasks(%s, %s, 2)", (t, akira)).fetchall())
        assert set(claimed) == {root, child}
        for task_id, tokens in ((child, 800), (root, 1200)):
            c.execute("select work.complete_task(%s, %s, %s, '{}', %s, 0.05, %s)",
                      (t, task_id, akira, tokens, claimed[task_id]))
        c.execute("update work.workflows set status = 'completed' where id = %s", (done,))
        failing = one(c, "insert into work.workflows (tenant_id, name) values (%s, 'flaky') returning id", t)
        flaky = one(c, "insert into work.tasks (tenant_id, workflow_id, agent_id, task_type, max_retries) values "
                       "(%s, %s, %s, 'e2e', 1) returning id", t, failing, akira)
        c.execute("select work.claim_tasks(%s, %s)", (t, akira))
        assert one(c, "select (work.fail_task(%s, %s, %s, 'browser crashed')).status", t, flaky, akira) == "pending"
        c.execute("select work.claim_tasks(%s, %s)", (t, akira))
        assert one(c, "select (work.fail_task(%s, %s, %s, 'browser crashed again')).status", t, flaky, akira) == "failed"
        counters = c.execute("select total_tasks, completed_tasks, failed_tasks, total_tokens, duration_ms is not null "
                             "from work.workflows where id = %s", (done,)).fetchone()
        assert counters == (2, 2, 0, 2000, True)
        assert one(c, "select retry_count from work.tasks where id = %s", flaky) == 1

    assert [r["slug"] for r in named("active_agents", "tokyo")] == ["akira-001", "yuki-002"]
    stats = named("agent_statistics", "tokyo", agent="akira-001")[0]
    assert (stats["tasks_completed"], stats["tasks_failed"], stats["total_tokens"]) == (2, 1, 2000)
    assert len(named("agent_recent_tasks", "tokyo", agent="akira-001", limit=20)) == 3
    workflow = named("workflow_with_tasks", "tokyo", workflow=done)[0]
    assert [task["description"] for task in workflow["tasks"]] == ["review PR", "scan deps"]
    tree = named("task_tree", "tokyo", task=root)
    assert [(r["description"], r["depth"]) for r in tree] == [("review PR", 0), ("scan deps", 1)]
    assert [r["error_message"] for r in named("failed_tasks", "tokyo")] == ["browser crashed again"]


def test_status_moves_that_skip_running_and_the_agents_counters(owner, client):
    owner.execute("insert into core.tenants (slug, name) values ('tokyo', 'Tokyo-IA')")
    with client("tokyo") as c:
        t = one(c, "select ops.current_tenant_id()")
        akira = one(c, "insert into agents.agents (tenant_id, name, slug) values (%s, 'Akira', 'akira-001') "
                       "returning id", t)
        yuki = one(c, "insert into agents.agents (tenant_id, name, slug) values (%s, 'Yuki', 'yuki-002') returning id", t)
        flow = one(c, "insert into work.workflows (tenant_id, name) values (%s, 'review') returning id", t)
        quick = one(c, "insert into work.tasks (tenant_id, workflow_id, agent_id, task_type, tokens_used) values "
                       "(%s, %s, %s, 'code_review', 300) returning id", t, flow, akira)
        # the seed's clients mark a task completed straight from pending: accepted, no start, no duration
        c.execute("update work.tasks set status = 'completed' where id = %s", (quick,))
        c.execute("update work.workflows set status = 'completed' where id = %s", (flow,))
        for table, row in (("work.tasks", quick), ("work.workflows", flow)):
            times = c.execute(f"select status, started_at, completed_at is not null, duration_ms from {table} "
                              "where id = %s", (row,)).fetchone()
            assert times == ("completed", None, True, None), table
        assert one(c, "select completed_tasks from work.workflows where id = %s", flow) == 1
        timed = one(c, "insert into work.tasks (tenant_id, agent_id, task_type, status, tokens_used, started_at, "
                       "completed_at) values (%s, %s, 'test', 'running', 200, now() - interval '3 seconds', null) "
                       "returning id", t, akira)
        # the end time as a value: Citus refuses a stable expression over a column in an UPDATE
        # (timestamptz + interval depends on the time zone), README "Scaling out with Citus"
        ended = one(c, "select started_at + interval '1.5 seconds' from work.tasks where id = %s", timed)
        c.execute("update work.tasks set status = 'completed', completed_at = %s where id = %s", (ended, timed))
        failed = one(c, "insert into work.tasks (tenant_id, agent_id, task_type) values (%s, %s, 'e2e') returning id",
                     t, akira)
        c.execute("update work.tasks set status = 'failed' where id = %s", (failed,))
        # Tokyo's agents columns, one row per agent
        counters = c.execute("select agent_id, total_tasks_completed, total_tokens_used, average_latency_ms, "
                             "success_rate from work.agent_statistics order by name").fetchall()
        assert [(a, n, tok, float(lat), float(rate)) for a, n, tok, lat, rate in counters[:1]] == [
            (akira, 2, 500, 1500.0, 66.67)]
        assert counters[1] == (yuki, 0, 0, None, None)
        for bad in ("running", "pending"):  # completed stays final
            with pytest.raises(psycopg.errors.CheckViolation, match=f"cannot change status from completed to {bad}"), \
                    c.transaction():
                c.execute("update work.tasks set status = %s where id = %s", (bad, quick))
