"""AJ Copilot: two organizations; public, private and granted agents seen correctly from
each; a shared conversation; files with workspace paths; agent state per user;
embeddings under two models; the 30-day cleanup."""

from __future__ import annotations

import numpy as np
from pgvector.psycopg import register_vector

from ..helpers import run_cli
from .conftest import one


def test_aj_copilot_flows(owner, client, named, db_url):
    register_vector(owner)
    # the 30-day cleanup applies to the tenants that ask for it (settings.aj_retention, migration 0016)
    acme = one(owner, "insert into core.tenants (slug, name, external_id, settings) values ('acme', 'Acme', "
                      "'org_acme', '{\"aj_retention\": true}') returning id")
    globex = one(owner, "insert into core.tenants (slug, name, external_id) values ('globex', 'Globex', 'org_globex') "
                        "returning id")
    small = one(owner, "select knowledge.register_embedding_model('text-embedding-3-small', 8)")
    large = one(owner, "select knowledge.register_embedding_model('text-embedding-3-large', 16, 'cosine', 'halfvec')")
    with client("org_acme") as c:
        alice = one(c, "insert into core.users (tenant_id, external_id, email) values (%s, 'user_alice', "
                       "'alice@acme.test') returning id", acme)
        bob = one(c, "insert into core.users (tenant_id, external_id, email) values (%s, 'user_bob', "
                     "'bob@acme.test') returning id", acme)
        stock = one(c, "insert into agents.agents (tenant_id, name, visibility, instructions, model_config) values "
                       "(%s, 'Stock', 'public', 'You analyse stocks', '{\"temperature\": 0.2}') returning id", acme)
        ringi = one(c, "insert into agents.agents (tenant_id, name, visibility) values (%s, 'Ringi', 'private') "
                       "returning id", acme)
        one(c, "insert into agents.agents (tenant_id, name, visibility) values (%s, 'BPP', 'private') returning id",
            acme)
    # sharing in a transaction of its own: the sharing functions are security definer, and on
    # Citus a function running as another role cannot touch rows the caller changed in the same
    # transaction (README, "Scaling out with Citus")
    with client("org_acme") as c:
        c.execute("select agents.share_agent(%s)", (stock,))  # public: any organization may install it
        globex_ringi = one(c, "select agents.grant_agent(%s, 'org_globex')", ringi)  # Globex's installation
    with client("org_acme") as c:
        c.execute("insert into agents.knowledge_sources (tenant_id, agent_id, kind, name, uri, embedding_model) values "
                  "(%s, %s, 'url', 'SEC filings', 'https://example.com/sec', 'text-embedding-3-small')", (acme, stock))
        c.execute("insert into agents.quick_tasks (tenant_id, agent_id, title, prompt, schedule) values "
                  "(%s, %s, 'Morning brief', 'Summarise overnight moves', '0 7 * * 1-5')", (acme, stock))
        shared = one(c, "insert into chat.conversations (tenant_id, agent_id, user_id, sharing) values "
                        "(%s, %s, %s, 'organization') returning id", acme, ringi, alice)
        mine = one(c, "insert into chat.conversations (tenant_id, agent_id, user_id) values (%s, %s, %s) returning id",
                   acme, stock, alice)
        message, created = c.execute("select * from chat.append_message(%s, 'user', 'Review the attached contract', "
                                     "%s, %s, p_parts => '[{\"type\": \"text\"}, {\"type\": \"file\"}]')",
                                     (acme, shared, ringi)).fetchone()
        contract = one(c, "insert into chat.files (tenant_id, conversation_id, user_id, kind, name, content_type, "
                          "size_bytes) values (%s, %s, %s, 'upload', 'contract.pdf', 'application/pdf', 1024) "
                          "returning workspace_path", acme, shared, alice)
        file_id = one(c, "select id from chat.files where conversation_id = %s", shared)
        c.execute("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) values "
                  "(%s, %s, %s, %s)", (acme, message, created, file_id))
        c.execute("insert into agents.agent_states (tenant_id, agent_id, user_id, state) values (%s, %s, %s, %s), "
                  "(%s, %s, %s, %s)", (acme, ringi, alice, '{"step": 2}', acme, ringi, bob, '{"step": 0}'))
        doc = one(c, "insert into knowledge.documents (tenant_id, name, agent_id) values (%s, 'filings', %s) "
                     "returning id", acme, stock)
        c.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                  "embedding_model_id, agent_id) values (%s, %s, 0, 'small', %s, %s, %s), "
                  "(%s, %s, 1, 'large', %s, %s, %s)",
                  (acme, doc, np.ones(8, dtype=np.float32), small, stock,
                   acme, doc, np.ones(16, dtype=np.float32), large, stock))
        assert contract == f"workspaces/{acme}/{alice}/{shared}/files/uploads/contract.pdf"
    with client("org_acme", user=bob) as c:
        assert {r[0] for r in c.execute("select id from chat.conversations")} == {shared}  # alice's private one hidden
        assert one(c, "select state->>'step' from agents.agent_states where user_id = %s", bob) == "0"
        for model, dims, expect in ((small, 8, "small"), (large, 16, "large")):
            hit = one(c, "select c.content from knowledge.search_chunks_vector(%s, %s, %s, 1) v "
                         "join knowledge.chunks c on c.id = v.chunk_id", acme, model, np.ones(dims, dtype=np.float32))
            assert hit == expect
    with client("org_globex") as c:
        # Globex's organization_agents: the public catalog and its grants; its own installations
        assert sorted(r[0] for r in c.execute("select name from agents.shared_agents")) == ["Ringi", "Stock"]
        globex_stock = one(c, "select agents.install_agent(%s)", stock)
    with client("org_globex") as c:
        assert sorted(r[0] for r in c.execute("select name from agents.agents")) == ["Ringi", "Stock"]
        assert one(c, "select count(*) from agents.agents where tenant_id = %s", acme) == 0
        assert one(c, "select count(*) from chat.conversations") == 0
        carol = one(c, "insert into core.users (tenant_id, external_id, email) values (%s, 'user_carol', "
                       "'carol@globex.test') returning id", globex)
        theirs = one(c, "insert into chat.conversations (tenant_id, agent_id, user_id) values (%s, %s, %s) "
                        "returning id", globex, globex_ringi, carol)
        c.execute("select chat.append_message(%s, 'user', 'Is this PO approved?', %s, %s)", (globex, theirs, globex_ringi))
        c.execute("insert into agents.agent_states (tenant_id, agent_id, user_id, state) values (%s, %s, %s, '{}')",
                  (globex, globex_stock, carol))
    with client("org_acme") as c:
        usage = c.execute("select tenant_slug, conversations, messages from agents.shared_agent_usage(%s)",
                          (ringi,)).fetchall()
        assert usage == [("globex", 1, 1)]
        assert one(c, "select count(*) from chat.conversations where id = %s", theirs) == 0
    attachments = named("conversation_messages", "org_acme", conversation=shared)[0]["attachments"]
    assert attachments[0]["workspace_path"].endswith("/files/uploads/contract.pdf")
    # the 30-day cleanup, for the organizations that ask for it (settings.aj_retention)
    owner.execute("update core.tenants set settings = settings || '{\"aj_retention\": true}' where id = %s", (acme,))
    owner.execute("alter table chat.conversations disable trigger _100_set_updated_at")
    owner.execute("update chat.conversations set updated_at = now() - interval '31 days' where id = %s", (mine,))
    owner.execute("alter table chat.conversations enable trigger _100_set_updated_at")
    assert run_cli("maintain", "--database-url", db_url).exit_code == 0
    remaining = {r[0] for r in owner.execute("select id from chat.conversations where tenant_id = %s", (acme,))}
    assert remaining == {shared}
