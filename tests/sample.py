"""Sample rows for the schema tests, written the way the seed systems' clients would:
through the SQL API functions where there is one, plain inserts otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import psycopg

PERSONAL = UUID("00000000-0000-7000-8000-000000000001")
IKIGAI_REMOTE = "git@github.com:mgreenly/ikigai.git"


@dataclass
class Sample:
    tenant: UUID
    coder: UUID
    reviewer: UUID
    conversation: UUID
    project: UUID
    other_project: UUID


def one(conn: psycopg.Connection, query: str, params=None):
    return conn.execute(query, params).fetchone()[0]


def agent(conn, tenant, name, slug=None, **columns) -> UUID:
    cols = ["tenant_id", "name", "slug", *columns]
    values = [tenant, name, slug, *columns.values()]
    placeholders = ", ".join(["%s"] * len(values))
    return one(conn, f"insert into agents.agents ({', '.join(cols)}) values ({placeholders}) returning id", values)


def append(conn, tenant, role, content, **named) -> tuple[UUID, object]:
    args = ", ".join(f"p_{k} => %({k})s" for k in named)
    query = f"select id, created_at from chat.append_message(%(t)s, %(role)s, %(content)s{', ' + args if args else ''})"
    return conn.execute(query, {"t": tenant, "role": role, "content": content, **named}).fetchone()


def load(conn: psycopg.Connection) -> Sample:
    """Two ikigai clients (laptop in project ikigai, workstation in other-tool), tags, focus,
    a cross-project memory document and a project one."""
    t = PERSONAL
    coder = agent(conn, t, "coder", "coder-1")
    reviewer = agent(conn, t, "reviewer", "reviewer-1")
    project = one(conn, "select core.ensure_project(%s, %s, 'mgreenly')", (t, IKIGAI_REMOTE))
    other = one(conn, "select core.ensure_project(%s, null, 'mgreenly', 'other-tool')", (t,))
    conversation = one(conn, "insert into chat.conversations (tenant_id, agent_id, project_id) values (%s, %s, %s) "
                             "returning id", (t, coder, project))
    conn.execute("select chat.start_context_span(%s, %s, %s)", (t, coder, conversation))
    conn.execute("select chat.tag_context_span(%s, %s, array['oauth-implementation'])", (t, coder))
    conn.execute("select chat.set_context_focus(%s, %s, 'implementing OAuth 2.0 authentication')", (t, coder))
    laptop = {"user_name": "mgreenly", "machine": "laptop", "path": "/home/mgreenly/projects/ikigai/main",
              "git_remote": IKIGAI_REMOTE}
    append(conn, t, "user", "How should we store OAuth refresh tokens?", conversation_id=conversation,
           agent_id=coder, created_at="2026-01-10T10:00:00Z", **laptop)
    append(conn, t, "assistant", "Store only a hash of each refresh token.", conversation_id=conversation,
           agent_id=coder, created_at="2026-01-10T10:01:00Z", **laptop)
    conn.execute("select chat.clear_context_span(%s, %s)", (t, coder))
    conn.execute("select chat.tag_context_span(%s, %s, array['refactoring'], true)", (t, coder))
    conn.execute("select chat.set_context_focus(%s, %s, 'refactoring database layer')", (t, coder))
    append(conn, t, "user", "Split the connection pool module.", conversation_id=conversation, agent_id=coder,
           created_at="2026-02-03T09:00:00Z", **laptop)
    workstation = {"user_name": "mgreenly", "machine": "workstation", "path": "/home/mgreenly/src/other-tool",
                   "project_id": other}
    append(conn, t, "user", "Add a retry to the HTTP client.", agent_id=reviewer, tags=["http"],
           created_at="2026-02-04T12:00:00Z", **workstation)
    conn.execute(
        "insert into memory.documents (tenant_id, alias, title, content, tags, created_by_agent_id) values "
        "(%s, 'oauth/patterns', 'OAuth 2.0 Implementation Patterns', 'Use PKCE. Rotate refresh tokens.', "
        "array['oauth', 'security'], %s)", (t, coder))
    conn.execute(
        "insert into memory.documents (tenant_id, title, content, project_id) values "
        "(%s, 'Pool sizing', 'Twenty connections per client.', %s)", (t, project))
    return Sample(t, coder, reviewer, conversation, project, other)
