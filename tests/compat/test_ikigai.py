"""ikigai's documented SQL (seed 000), verbatim through the ikigai pack, as the app role
with the tenant set: its RAG WHERE clauses over messages with their identity."""

from __future__ import annotations

import pytest

FROM = "select content from messages"  # the document gives the WHERE clauses only

MESSAGES = [  # (agent, role, content, machine, path, remote, project, tags, focus, created)
    (42, "user", "design the schema", "workstation", "/home/mgreenly/projects/ikigai/main",
     "git@github.com:mgreenly/ikigai.git", None, ["oauth-implementation"], None, "2024-02-01"),
    (42, "assistant", "use PKCE", "laptop", "/home/mgreenly/projects/ikigai/feature", None, "ikigai",
     ["refactoring"], "oauth flow", "2024-03-01"),
    (7, "user", "other work", "workstation", "/home/mgreenly/projects/other-tool",
     "git@github.com:mgreenly/other-tool.git", None, ["oauth"], None, "2024-04-01"),
    (42, "user", "outside any repository", "workstation", "/tmp", None, None, [], None, "2023-12-01"),
]


@pytest.fixture
def ikigai(db_conn, pack_client):
    db_conn.execute("insert into core.tenants (slug, name) values ('ikigai', 'ikigai'), ('other', 'Other')")
    db_conn.commit()
    statements, session = pack_client("ikigai")
    with session("ikigai") as c:
        c.sql("insert into core.users (tenant_id, username) values (ops.current_tenant_id(), 'mgreenly')")
        c.sql("insert into agents (id, name, project, user_id) values (42, 'main', 'ikigai', 'mgreenly'), "
              "(7, 'helper', 'other-tool', 'mgreenly')")
        for agent, role, content, machine, path, remote, project, tags, focus, created in MESSAGES:
            c.sql("insert into messages (agent_id, role, content, user_name, machine, path, git_remote, project, "
                  "tags, focus, created_at) values (%s, %s, %s, 'mgreenly', %s, %s, %s, %s, %s, %s, %s)",
                  agent, role, content, machine, path, remote, project, tags, focus, created)
    return statements, session


def contents(rows):
    return sorted(r["content"] for r in rows)


def test_ikigai_rag_clauses_verbatim(ikigai):
    statements, session = ikigai
    with session("ikigai") as c:
        assert contents(c.run("work_in_project", prefix=FROM)) == ["design the schema", "use PKCE"]
        assert contents(c.run("agent_work_in_project", prefix=FROM)) == ["design the schema", "use PKCE"]
        assert contents(c.run("work_in_path", prefix=FROM)) == ["design the schema"]

        c.fails("tagged_work", prefix=FROM)  # CONTAINS is not SQL
        assert contents(c.instead("tagged_work", prefix=FROM)) == ["design the schema"]
        c.fails("combinations", prefix=FROM)
        assert contents(c.instead("combinations", prefix=FROM)) == ["use PKCE"]
        c.fails("what_did_we_decide", prefix=FROM)
        assert [r["content"] for r in c.instead("what_did_we_decide", prefix=FROM)] == ["use PKCE"]

        # runs, but bare `user` is CURRENT_USER (the app role), never the message's user
        assert statements["work_from_machine"].not_runnable == "current_user"
        assert c.sql(f"{FROM}\n{statements['work_from_machine'].text}") == []
        assert contents(c.instead("work_from_machine", prefix=FROM)) == [
            "design the schema", "other work", "outside any repository"]

        projects = c.sql("select content, project from messages order by created_at")
        assert [p["project"] for p in projects] == ["@mgreenly", "ikigai", "ikigai", "other-tool"]
        assert c.sql("select id, name, project, user_id from agents order by id") == [
            {"id": 7, "name": "helper", "project": "other-tool", "user_id": "mgreenly"},
            {"id": 42, "name": "main", "project": "ikigai", "user_id": "mgreenly"}]
    with session("other") as c:
        assert c.run("work_in_project", prefix=FROM) == []
        assert c.sql("select * from agents") == []


def test_ikigai_memory_documents_and_spans(ikigai):
    _, session = ikigai
    with session("ikigai") as c:
        doc = c.sql("insert into memory_documents (alias, title, content, tags, project, created_by_agent_id) "
                    "values ('oauth/patterns', 'OAuth 2.0 Implementation Patterns', 'Use PKCE.', "
                    "array['oauth', 'patterns'], null, 42) returning id")[0]["id"]
        c.sql("update memory_documents set content = 'Use PKCE. Rotate refresh tokens.' where id = %s", doc)
        assert c.sql("select id, alias, project, created_by_agent_id, content from memory_documents") == [
            {"id": doc, "alias": "oauth/patterns", "project": None, "created_by_agent_id": 42,
             "content": "Use PKCE. Rotate refresh tokens."}]
        assert c.sql("select title from memory.resolve_reference(ops.current_tenant_id(), %s)", f"#mem-{doc}") == [
            {"title": "OAuth 2.0 Implementation Patterns"}]
        assert c.sql("select count(*) as n from memory.document_versions") == [{"n": 1}]
        c.sql("select chat.start_context_span(ops.current_tenant_id(), (select a.id from agents.agents a "
              "where a.metadata ->> 'ikigai_id' = '42'))")
        assert [s["agent_id"] for s in c.sql("select agent_id from context_spans where ended_at is null")] == [42]
    with session("other") as c:
        assert c.sql("select * from memory_documents") == []
