"""ikigai: terminal clients sharing one database; identity, spans, tags, the wiki, RAG."""

from __future__ import annotations

from .conftest import one

REMOTE = "git@github.com:mgreenly/ikigai.git"


def test_ikigai_flows(client, named):
    with client("personal") as c:
        tenant = one(c, "select ops.current_tenant_id()")
        agent = one(c, "insert into agents.agents (tenant_id, name, slug, branch, worktree_path) values "
                       "(%s, 'main-agent', 'main', 'main', '/home/mgreenly/projects/ikigai/main') returning id", tenant)
        other = one(c, "insert into agents.agents (tenant_id, name, slug) values (%s, 'tool-agent', 'tool') "
                       "returning id", tenant)
        # client 1 in ikigai on the laptop: agent start opens a span; /tag and /focus
        one(c, "select chat.start_context_span(%s, %s)", tenant, agent)
        c.execute("select chat.tag_context_span(%s, %s, array['oauth-implementation'])", (tenant, agent))
        c.execute("select chat.set_context_focus(%s, %s, 'implementing OAuth 2.0 authentication')", (tenant, agent))
        for n, text in enumerate(["How do we store refresh tokens?", "Hash them; we decided on sha256."]):
            c.execute("select * from chat.append_message(%s, %s, %s, p_agent_id => %s, p_user_name => 'mgreenly', "
                      "p_machine => 'laptop', p_path => '/home/mgreenly/projects/ikigai/main', p_git_remote => %s, "
                      "p_created_at => '2026-01-05T10:00:00Z'::timestamptz + make_interval(mins => %s))",
                      (tenant, "user" if n == 0 else "assistant", text, agent, REMOTE, n))
        # /clear: a new span keeps the tags; retag for refactoring
        one(c, "select chat.clear_context_span(%s, %s)", tenant, agent)
        c.execute("select chat.tag_context_span(%s, %s, array['refactoring'], true)", (tenant, agent))
        c.execute("select chat.set_context_focus(%s, %s, 'refactoring the pool')", (tenant, agent))
        c.execute("select * from chat.append_message(%s, 'user', 'Split the pool module', p_agent_id => %s, "
                  "p_user_name => 'mgreenly', p_machine => 'laptop', p_path => '/home/mgreenly/projects/ikigai/main', "
                  "p_git_remote => %s, p_created_at => '2026-02-01T09:00:00Z')", (tenant, agent, REMOTE))
        # client 2, another project, outside a git repository
        c.execute("select * from chat.append_message(%s, 'user', 'Add retries to the client', p_agent_id => %s, "
                  "p_user_name => 'mgreenly', p_machine => 'workstation', p_path => '/home/mgreenly/scratch', "
                  "p_created_at => '2026-02-02T09:00:00Z')", (tenant, other))
        # the shared wiki
        one(c, "insert into memory.documents (tenant_id, alias, title, content, tags, created_by_agent_id) values "
               "(%s, 'oauth/patterns', 'OAuth patterns', 'Use PKCE.', array['oauth'], %s) returning id", tenant, agent)
        c.execute("update memory.documents set content = 'Use PKCE. Rotate refresh tokens.', updated_by_agent_id = %s "
                  "where alias = 'oauth/patterns'", (agent,))
        spans = c.execute("select end_reason from chat.context_spans where agent_id = %s order by id",
                          (agent,)).fetchall()
        assert spans == [("clear",), (None,)]

    assert [r["project"] for r in named("work_by_project", "personal", project="ikigai")] == ["ikigai"] * 3
    assert {r["project"] for r in named("work_by_project", "personal", project="@mgreenly")} == {"@mgreenly"}
    assert len(named("agent_work_in_project", "personal", agent="main", project="ikigai")) == 3
    tagged = named("tagged_work", "personal", tags="oauth-implementation")
    assert [r["focus"] for r in tagged] == ["implementing OAuth 2.0 authentication"] * 2
    assert [r["content"] for r in named("work_by_machine", "personal", machine="workstation",
                                        user_name="mgreenly")] == ["Add retries to the client"]
    assert len(named("work_by_path", "personal", path="/home/mgreenly/projects/ikigai/main")) == 3
    combined = named("work_search", "personal", project="ikigai", tags="refactoring", since="2026-01-15")
    assert [r["content"] for r in combined] == ["Split the pool module"]
    decided = named("what_did_we_decide", "personal", project="ikigai", topic="oauth")
    assert [r["content"] for r in decided] == ["Hash them; we decided on sha256.", "How do we store refresh tokens?"]
    document = named("memory_document", "personal", reference="#mem-oauth/patterns")[0]
    assert (document["version"], document["content"]) == (2, "Use PKCE. Rotate refresh tokens.")
    by_number = named("memory_document", "personal", reference=document["reference"])
    assert by_number[0]["alias"] == "oauth/patterns"


def test_an_untagged_message_inside_a_tagged_span_stays_untagged(client, named):
    with client("personal") as c:
        tenant = one(c, "select ops.current_tenant_id()")
        agent = one(c, "insert into agents.agents (tenant_id, name) values (%s, 'main-agent') returning id", tenant)
        span = one(c, "select chat.start_context_span(%s, %s)", tenant, agent)
        c.execute("select chat.tag_context_span(%s, %s, array['oauth'])", (tenant, agent))
        given = {
            "inherits": None,  # the client says nothing: the span's tags
            "aside": [],  # the client says "no tags" explicitly
            "own": ["bug-fix"],
        }
        for text, tags in given.items():
            c.execute("select chat.append_message(%s, 'user', %s, p_agent_id => %s, p_tags => %s)",
                      (tenant, text, agent, tags))
        # a plain insert: a tags column left out inherits, '{}' stays empty
        c.execute("insert into chat.messages (tenant_id, agent_id, role, content) values (%s, %s, 'user', 'plain')",
                  (tenant, agent))
        c.execute("insert into chat.messages (tenant_id, agent_id, role, content, tags) values "
                  "(%s, %s, 'user', 'plain aside', '{}')", (tenant, agent))
        rows = dict(c.execute("select content, tags from chat.messages where context_span_id = %s", (span,)).fetchall())
        assert rows == {"inherits": ["oauth"], "aside": [], "own": ["bug-fix"], "plain": ["oauth"],
                        "plain aside": []}
        # a message of no agent and no tags has an empty list, never null
        lone = one(c, "select id from chat.append_message(%s, 'user', 'no agent')", tenant)
        assert one(c, "select tags from chat.messages where id = %s", lone) == []
    assert sorted(r["content"] for r in named("tagged_work", "personal", tags="oauth")) == ["inherits", "plain"]
