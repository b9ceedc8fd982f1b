"""Shared agents (docs/decisions.md, "Shared agents"): organization A publishes an agent,
organization B uses it through an installation in its own tenant. Every step runs as an
app-role login with the tenant set per transaction, as the services would."""

from __future__ import annotations

import psycopg
import pytest

from .logins import logins  # noqa: F401  (fixture)


def one(conn, statement, *params):
    return conn.execute(statement, params).fetchone()[0]


@pytest.fixture
def orgs(db_conn):
    ids = {slug: one(db_conn, "insert into core.tenants (slug, name) values (%s, %s) returning id", slug, slug.title())
           for slug in ("acme", "globex", "initech")}
    db_conn.commit()
    return ids


def test_b_uses_a_granted_agent_in_its_own_tenant_and_loses_new_use_on_revoke(orgs, logins):  # noqa: F811
    acme_svc, globex_svc, initech_svc = logins("app"), logins("app"), logins("app")
    acme, globex = orgs["acme"], orgs["globex"]
    with acme_svc("acme") as a:
        alice = one(a, "insert into core.users (tenant_id, email) values (%s, 'alice@acme.test') returning id", acme)
        ringi = one(a, "insert into agents.agents (tenant_id, name, slug, instructions) values "
                       "(%s, 'Ringi', 'ringi', 'Approve requests') returning id", acme)
        mine = one(a, "insert into chat.conversations (tenant_id, agent_id, user_id) values (%s, %s, %s) returning id",
                   acme, ringi, alice)
        a.execute("select chat.append_message(%s, 'user', 'acme secret plan', %s, %s)", (acme, mine, ringi))
        installed = one(a, "select agents.grant_agent(%s, 'globex')", ringi)
    with globex_svc("globex") as b:
        # the installation is globex's own row, with the definition copied
        row = b.execute("select tenant_id, name, slug, instructions, source_tenant_id, source_agent_id "
                        "from agents.agents").fetchall()
        assert row == [(globex, "Ringi", "ringi", "Approve requests", acme, ringi)]
        assert one(b, "select agents.install_agent(%s)", ringi) == installed  # idempotent
        bob = one(b, "insert into core.users (tenant_id, email) values (%s, 'bob@globex.test') returning id", globex)
        chat = one(b, "insert into chat.conversations (tenant_id, agent_id, user_id) values (%s, %s, %s) "
                      "returning id", globex, installed, bob)
        b.execute("select chat.append_message(%s, 'user', 'approve my laptop', %s, %s)", (globex, chat, installed))
        b.execute("select chat.append_message(%s, 'assistant', 'approved', %s, %s)", (globex, chat, installed))
        b.execute("insert into agents.agent_states (tenant_id, agent_id, user_id, state) values (%s, %s, %s, %s)",
                  (globex, installed, bob, '{"step": 1}'))
        doc = one(b, "insert into knowledge.documents (tenant_id, name, agent_id) values (%s, 'policy', %s) "
                     "returning id", globex, installed)
        b.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, agent_id) values "
                  "(%s, %s, 0, 'laptops under 2000 need no approval', %s)", (globex, doc, installed))
        hits = b.execute("select c.content from knowledge.search_chunks_bm25(%s, 'laptops approval', 5, "
                         "p_agent_id => %s) as s join knowledge.chunks as c on c.id = s.chunk_id",
                         (globex, installed)).fetchall()
        assert hits == [("laptops under 2000 need no approval",)]
        # none of acme's rows: not its conversations, messages, users or the agent's own row
        assert one(b, "select count(*) from chat.conversations") == 1
        assert [r[0] for r in b.execute("select content from chat.messages order by created_at")] == [
            "approve my laptop", "approved"]
        assert one(b, "select count(*) from agents.agents where tenant_id = %s", acme) == 0
    with initech_svc("initech") as c:  # not granted: cannot install it
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not shared with this organization"):
            c.execute("select agents.install_agent(%s)", (ringi,))
    with acme_svc("acme") as a:
        usage = a.execute("select tenant_slug, access, conversations, messages, agent_states, knowledge_chunks, "
                          "revoked_at from agents.shared_agent_usage(%s)", (ringi,)).fetchall()
        assert usage == [("globex", "granted", 1, 2, 1, 1, None)]
        # counts, never content: acme reads none of globex's messages
        assert [r[0] for r in a.execute("select content from chat.messages")] == ["acme secret plan"]
        assert one(a, "select count(*) from chat.conversations") == 1
        assert one(a, "select agents.revoke_agent(%s, 'globex')", ringi) is True
        assert one(a, "select agents.revoke_agent(%s, 'globex')", ringi) is False  # already revoked
    with globex_svc("globex") as b:
        # history stays readable
        assert one(b, "select count(*) from chat.messages where conversation_id = %s", chat) == 2
        assert one(b, "select state->>'step' from agents.agent_states where agent_id = %s", installed) == "1"
        assert one(b, "select name from agents.agents where id = %s", installed) == "Ringi"
    refused = {
        "a new conversation": ("insert into chat.conversations (tenant_id, agent_id) values (%s, %s)", (globex, installed)),
        "a new message": ("select chat.append_message(%s, 'user', 'still there?', %s, %s)", (globex, chat, installed)),
        "a new state": ("insert into agents.agent_states (tenant_id, agent_id, state) values (%s, %s, '{}')",
                        (globex, installed)),
        "a state change": ("update agents.agent_states set state = '{\"step\": 2}' where agent_id = %s", (installed,)),
        "a new span": ("select chat.start_context_span(%s, %s)", (globex, installed)),
    }
    for what, (statement, params) in refused.items():
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match='agent "Ringi" is no longer shared'), \
                globex_svc("globex") as b:
            b.execute(statement, params)
            pytest.fail(f"{what} was accepted after the revoke")
    with globex_svc("globex") as b:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not shared with this organization"):
            b.execute("select agents.install_agent(%s)", (ringi,))
    with acme_svc("acme") as a:
        assert a.execute("select access, revoked_at is not null from agents.shared_agent_usage(%s)",
                         (ringi,)).fetchall() == [("granted", True)]
        assert one(a, "select agents.grant_agent(%s, 'globex')", ringi) == installed  # granted again
    with globex_svc("globex") as b:
        b.execute("insert into chat.conversations (tenant_id, agent_id) values (%s, %s)", (globex, installed))
        assert one(b, "select count(*) from chat.conversations") == 2


def test_public_agents_are_installed_by_any_organization_and_republishing_refreshes_copies(orgs, logins):  # noqa: F811
    acme_svc, globex_svc = logins("app"), logins("app")
    acme, globex = orgs["acme"], orgs["globex"]
    with acme_svc("acme") as a:
        stock = one(a, "insert into agents.agents (tenant_id, name, visibility, model) values "
                       "(%s, 'Stock', 'public', 'gpt-4o') returning id", acme)
        hidden = one(a, "insert into agents.agents (tenant_id, name, visibility) values (%s, 'Secret', 'hidden') "
                        "returning id", acme)
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="hidden"), a.transaction():
            a.execute("select agents.share_agent(%s)", (hidden,))
        assert a.execute("select visibility, installations from agents.share_agent(%s)", (stock,)).fetchall() == [
            ("public", 0)]
    with globex_svc("globex") as b:
        assert [r[0] for r in b.execute("select name from agents.shared_agents")] == ["Stock"]
        copy = one(b, "select agents.install_agent(%s)", stock)
        b.execute("insert into chat.conversations (tenant_id, agent_id) values (%s, %s)", (globex, copy))
        # the app role writes the global tables only through the functions
        with pytest.raises(psycopg.errors.InsufficientPrivilege), b.transaction():
            b.execute("insert into agents.shared_agents (owner_tenant_id, agent_id, visibility, name) "
                      "values (%s, %s, 'public', 'forged')", (globex, copy))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), b.transaction():
            b.execute("insert into agents.shared_agent_grants (owner_tenant_id, agent_id, grantee_tenant_id) "
                      "values (%s, %s, %s)", (acme, stock, globex))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), b.transaction():
            b.execute("update agents.shared_agents set name = 'mine'")
        # an installation cannot be re-shared
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="installation"), b.transaction():
            b.execute("select agents.share_agent(%s)", (copy,))
    with globex_svc() as b:  # no tenant: nothing, public agents included
        assert one(b, "select count(*) from agents.shared_agents") == 0
        assert one(b, "select count(*) from agents.agents") == 0
    with acme_svc("acme") as a:
        a.execute("update agents.agents set model = 'gpt-5' where id = %s", (stock,))
        assert one(a, "select installations from agents.share_agent(%s)", stock) == 1
        assert a.execute("select tenant_slug, access, conversations from agents.shared_agent_usage(%s)",
                         (stock,)).fetchall() == [("globex", "public", 1)]
        # made private: organizations without a grant can start nothing new with it
        a.execute("select agents.share_agent(%s, 'private')", (stock,))
    with globex_svc("globex") as b:
        assert one(b, "select model from agents.agents where id = %s", copy) == "gpt-5"
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="no longer shared"), b.transaction():
            b.execute("insert into chat.conversations (tenant_id, agent_id) values (%s, %s)", (globex, copy))
        assert one(b, "select count(*) from chat.conversations") == 1


def test_sharing_functions_refuse_what_is_not_the_callers(orgs, logins):  # noqa: F811
    acme_svc, globex_svc = logins("app"), logins("app")
    with acme_svc("acme") as a:
        ringi = one(a, "insert into agents.agents (tenant_id, name) values (%s, 'Ringi') returning id", orgs["acme"])
    for statement, error in (
        ("select agents.grant_agent(%s, 'initech')", psycopg.errors.NoDataFound),  # not globex's agent
        ("select agents.share_agent(%s)", psycopg.errors.NoDataFound),
        ("select agents.revoke_agent(%s, 'acme')", psycopg.errors.NoDataFound),
        ("select * from agents.shared_agent_usage(%s)", psycopg.errors.NoDataFound),
    ):
        with pytest.raises(error), globex_svc("globex") as b:
            b.execute(statement, (ringi,))
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="itself"), acme_svc("acme") as a:
        a.execute("select agents.grant_agent(%s, 'acme')", (ringi,))
    with pytest.raises(psycopg.errors.NoDataFound, match='no tenant "nowhere"'), acme_svc("acme") as a:
        a.execute("select agents.grant_agent(%s, 'nowhere')", (ringi,))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="no tenant is set"), acme_svc() as a:
        a.execute("select agents.grant_agent(%s, 'globex')", (ringi,))
