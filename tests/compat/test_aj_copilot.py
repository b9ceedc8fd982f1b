"""AJ Copilot (seed 003): its document is a design summary whose only SQL is DDL, so it
has no client statement to run; its twelve tables' flows (Clerk sync of users, agents,
a conversation with rich messages and a file in the workspace, per-user agent state, an
embedding per agent and model) run through the aj-copilot pack's views as the app role
with the tenant set."""

from __future__ import annotations

import psycopg
import pytest

from .conftest import code_lines, document, load


@pytest.fixture
def aj(db_conn, pack_client):
    db_conn.execute("insert into core.tenants (slug, name, external_id) values "
                    "('acme', 'Acme', 'org_2acme'), ('globex', 'Globex', 'org_2globex')")
    db_conn.execute("select knowledge.register_embedding_model('openai-small-3', 3)")
    db_conn.commit()
    return pack_client("aj-copilot")


def test_aj_copilot_document_has_no_client_sql(aj):
    statements, _ = aj
    assert statements == {} and load("aj-copilot") == ({}, [])
    assert code_lines(document("aj-copilot")) == []
    assert "CREATE EXTENSION vector;" in document("aj-copilot")


def test_aj_copilot_flows_through_the_views(aj):
    _, session = aj
    with session("org_2acme") as c:
        assert c.sql("select clerk_organization_id, name from organizations") == [
            {"clerk_organization_id": "org_2acme", "name": "Acme"}]
        user = c.sql("insert into users (organization_id, clerk_user_id, email) "
                     "values (ops.current_tenant_id(), 'user_2abc', 'ana@acme.test') returning id")[0]["id"]
        agent = c.sql("insert into agents (organization_id, name, instructions, visibility) "
                      "values (ops.current_tenant_id(), 'Stock', 'Answer stock questions', 'private') returning id")[0]["id"]
        c.sql("insert into agent_quick_tasks (organization_id, agent_id, title, prompt) "
              "values (ops.current_tenant_id(), %s, 'Daily report', 'Summarise today')", agent)
        c.sql("insert into agent_knowledge_sources (organization_id, agent_id, kind, name, uri) "
              "values (ops.current_tenant_id(), %s, 'url', 'Prices', 'https://example.test/prices')", agent)
        conversation = c.sql("insert into conversations (organization_id, user_id, agent_id, sharing) "
                             "values (ops.current_tenant_id(), %s, %s, 'organization') returning id", user, agent)[0]["id"]
        message = c.sql("insert into messages (organization_id, conversation_id, user_id, role, content, parts) "
                        "values (ops.current_tenant_id(), %s, %s, 'user', 'Chart of Q3?', "
                        "'[{\"type\": \"text\", \"text\": \"Chart of Q3?\"}]') returning id, created_at",
                        conversation, user)[0]
        file = c.sql("insert into files (organization_id, user_id, conversation_id, kind, name) "
                     "values (ops.current_tenant_id(), %s, %s, 'upload', 'q3.csv') returning id, workspace_path",
                     user, conversation)[0]
        assert file["workspace_path"].endswith(f"/{user}/{conversation}/files/uploads/q3.csv")
        c.sql("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) "
              "values (ops.current_tenant_id(), %s, %s, %s)", message["id"], message["created_at"], file["id"])
        c.sql("insert into agent_states (organization_id, agent_id, user_id, state) "
              "values (ops.current_tenant_id(), %s, %s, '{\"step\": 2}')", agent, user)
        document_id = c.sql("insert into knowledge.documents (tenant_id, name, agent_id) "
                            "values (ops.current_tenant_id(), 'q3.csv', %s) returning id", agent)[0]["id"]
        c.sql("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, agent_id, embedding, "
              "embedding_model_id) values (ops.current_tenant_id(), %s, 0, 'Q3 revenue', %s, '[1,0,0]', "
              "(select id from knowledge.embedding_models where name = 'openai-small-3'))", document_id, agent)

        assert c.sql("select title, message_count from conversations") == [
            {"title": "Chart of Q3?", "message_count": 1}]
        assert c.sql("select file_id from message_files") == [{"file_id": file["id"]}]
        assert c.sql("select state from agent_states") == [{"state": {"step": 2}}]
        assert c.sql("select agent_id, content from embeddings") == [{"agent_id": agent, "content": "Q3 revenue"}]
        assert c.sql("select title from agent_quick_tasks") == [{"title": "Daily report"}]
        assert c.sql("update agents set status = 'maintenance' where id = %s", agent) == 1
        c.sql("select agents.share_agent(%s, 'private')", agent)
        c.sql("select agents.grant_agent(%s, 'globex')", agent)
        granted = c.sql("select organization_id, agent_id, revoked_at from organization_agents")
        assert [(g["agent_id"], g["revoked_at"]) for g in granted] == [(agent, None)]
        globex = c.sql("select id from core.tenants where slug = 'globex'")
        assert globex == []  # another organization is not even visible
    with session("org_2globex") as c:
        for view in ("users", "conversations", "messages", "files", "agent_states", "embeddings"):
            assert c.sql(f"select * from {view}") == [], view
        here = c.sql("select ops.current_tenant_id() as t")[0]["t"]
        installed = c.sql("select id, organization_id, name from agents")  # the grant installed it here
        assert [(a["organization_id"], a["name"]) for a in installed] == [(here, "Stock")]
        assert installed[0]["id"] != agent
        assert [(g["organization_id"], g["agent_id"]) for g in c.sql("select * from organization_agents")] == [
            (granted[0]["organization_id"], agent)]
        assert granted[0]["organization_id"] == here
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # no writing into another tenant
            with c.conn.transaction():
                c.sql("insert into conversations (organization_id) values ('00000000-0000-7000-8000-000000000001')")
