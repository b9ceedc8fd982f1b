"""Tokyo-IA: agents, workflows with tasks and sub-tasks, a failure and its retry, the
four query patterns."""

from __future__ import annotations

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
