"""One or more rows in every tenant-scoped table for a tenant, written as the owner.
The leak test fails for a tenant-scoped table this does not fill, so a new table must
come with its sample row here."""

from __future__ import annotations

from uuid import UUID

import psycopg

BCRYPT = "$2b$12$" + "a" * 53


def fill(conn: psycopg.Connection, slug: str, grantee: UUID | None = None) -> UUID:
    def one(sql, *params):
        return conn.execute(sql, params).fetchone()[0]

    t = one("insert into core.tenants (slug, name) values (%s, %s) returning id", slug, slug.title())
    user = one("insert into core.users (tenant_id, email, password_hash) values (%s, %s, %s) returning id",
               t, f"ann@{slug}.test", BCRYPT)
    conn.execute("insert into core.user_sessions (tenant_id, user_id, token_hash) values "
                 "(%s, %s, encode(sha256(%s::bytea), 'hex'))", (t, user, slug))
    project = one("select core.ensure_project(%s, %s)", t, f"git@example.com:{slug}/app.git")
    character = one("insert into core.characters (tenant_id, user_id, name) values (%s, %s, 'hero') returning id",
                    t, user)
    bot = one("insert into agents.agents (tenant_id, name, slug, visibility, owner_user_id) "
              "values (%s, 'bot', 'bot', 'private', %s) returning id", t, user)
    helper = one("insert into agents.agents (tenant_id, name, slug) values (%s, 'helper', 'helper') returning id", t)
    other = grantee or one("insert into core.tenants (slug, name) values (%s, 'Grantee') returning id", f"{slug}-grantee")
    conn.execute("select ops.set_tenant(%s)", (str(t),))  # shared by its owner tenant
    conn.execute("select agents.grant_agent(%s, %s)", (helper, str(other)))
    conn.execute("select set_config('agentdb.tenant_id', '', true)")
    conn.execute("insert into agents.knowledge_sources (tenant_id, agent_id, kind, name) values (%s, %s, 'url', 'docs')",
                 (t, bot))
    conn.execute("insert into agents.quick_tasks (tenant_id, agent_id, title, prompt) values (%s, %s, 'sum', 'sum')",
                 (t, bot))
    conn.execute("insert into agents.agent_states (tenant_id, agent_id, user_id) values (%s, %s, %s)", (t, bot, user))
    conn.execute("insert into agents.relationships (tenant_id, agent_id, other_agent_id) values (%s, %s, %s)",
                 (t, bot, helper))
    conn.execute("insert into agents.relationships (tenant_id, agent_id, character_id) values (%s, %s, %s)",
                 (t, bot, character))
    conn.execute("insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity) "
                 "values (%s, %s, 1, '08:00', '09:00', 'work')", (t, bot))
    conn.execute("insert into agents.plans (tenant_id, agent_id, goal) values (%s, %s, 'win')", (t, bot))
    conversation = one("insert into chat.conversations (tenant_id, agent_id, user_id, project_id) "
                       "values (%s, %s, %s, %s) returning id", t, bot, user, project)
    conn.execute("select chat.start_context_span(%s, %s, %s)", (t, bot, conversation))
    message, created = conn.execute("select * from chat.append_message(%s, 'user', 'hello', %s, %s)",
                                    (t, conversation, bot)).fetchone()
    file = one("insert into chat.files (tenant_id, conversation_id, user_id, kind, name) "
               "values (%s, %s, %s, 'upload', 'a.txt') returning id", t, conversation, user)
    conn.execute("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) "
                 "values (%s, %s, %s, %s)", (t, message, created, file))
    document = one("insert into memory.documents (tenant_id, title, content) values (%s, 'wiki', 'v1') returning id", t)
    conn.execute("update memory.documents set content = 'v2' where id = %s", (document,))
    conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content) values (%s, %s, 'fact', 'sky')",
                 (t, bot))
    conn.execute("insert into memory.archived_memories (tenant_id, id, agent_id, kind, content) "
                 "values (%s, ops.uuidv7(), %s, 'fact', 'old')", (t, bot))
    kdoc = one("insert into knowledge.documents (tenant_id, name) values (%s, 'kb') returning id", t)
    conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) values (%s, %s, 0, 'x')",
                 (t, kdoc))
    conn.execute("set local agentdb.defer_keyword_index = on")  # one chunk waits for the index
    conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) values (%s, %s, 1, 'y')",
                 (t, kdoc))
    conn.execute("select set_config('agentdb.defer_keyword_index', 'off', true)")
    workflow = one("insert into work.workflows (tenant_id, name) values (%s, 'wf') returning id", t)
    conn.execute("insert into work.tasks (tenant_id, workflow_id, agent_id, task_type) values (%s, %s, %s, 'job')",
                 (t, workflow, bot))
    conn.execute("insert into work.interactions (tenant_id, workflow_id, from_agent_id, to_agent_id, "
                 "interaction_type) values (%s, %s, %s, %s, 'handoff')", (t, workflow, bot, helper))
    conn.execute("insert into work.metrics (tenant_id, agent_id, metric_type, value) values (%s, %s, 'latency', 1)",
                 (t, bot))
    return t
