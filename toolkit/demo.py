"""`agentdb demo`: a small data set touching all five seed systems, loaded through the
SQL API (a few hundred rows and a knowledge base from demo/knowledge), then a short tour.
Loading twice changes nothing: the data goes in once, under the tenants it creates."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import psycopg

from .ingest import load
from .config import Project

DEMO_TENANTS = ("tokyo-ia", "cirkelline", "aj-acme", "aj-globex", "heartwood")
BCRYPT = "$2b$12$" + "Zq1x" * 13 + "a"


def loaded(conn: psycopg.Connection) -> bool:
    return conn.execute("select exists (select 1 from core.tenants where slug = 'heartwood')").fetchone()[0]


def load(conn: psycopg.Connection, project: Project) -> dict[str, int]:
    """Everything in one transaction: all of the demo or none of it."""
    rng = random.Random(2026)

    def one(sql: str, *params):
        return conn.execute(sql, params).fetchone()[0]

    with conn.transaction():
        # ikigai: the personal tenant, two clients in two projects
        personal = one("select id from core.tenants where slug = 'personal'")
        coder = one("insert into agents.agents (tenant_id, name, slug, role, model) values "
                    "(%s, 'coder', 'coder', 'software engineer', 'claude-opus-4.1') returning id", personal)
        conversation = one("insert into chat.conversations (tenant_id, agent_id) values (%s, %s) returning id",
                           personal, coder)
        conn.execute("select chat.start_context_span(%s, %s, %s)", (personal, coder, conversation))
        conn.execute("select chat.tag_context_span(%s, %s, array['oauth', 'security'])", (personal, coder))
        conn.execute("select chat.set_context_focus(%s, %s, 'implementing OAuth 2.0 authentication')",
                     (personal, coder))
        lines = ["How should we store OAuth refresh tokens?", "Store only a hash of each refresh token.",
                 "Do we rotate them on every use?", "Yes: rotate and revoke the old one at once.",
                 "What did we decide about token lifetime?", "Thirty days for refresh, fifteen minutes for access."]
        for i in range(60):
            conn.execute("select * from chat.append_message(%s, %s, %s, %s, %s, p_user_name => 'mgreenly', "
                         "p_machine => %s, p_path => %s, p_git_remote => 'git@github.com:mgreenly/ikigai.git', "
                         "p_created_at => now() - make_interval(mins => %s))",
                         (personal, "user" if i % 2 == 0 else "assistant", lines[i % len(lines)], conversation, coder,
                          "laptop" if i < 40 else "workstation", "/home/mgreenly/projects/ikigai/main", 60 - i))
        conn.execute("insert into memory.documents (tenant_id, alias, title, content, tags, created_by_agent_id) "
                     "values (%s, 'oauth/patterns', 'OAuth 2.0 Implementation Patterns', "
                     "'Use PKCE for public clients. Rotate refresh tokens. Store only hashes.', "
                     "array['oauth', 'security'], %s)", (personal, coder))

        # Tokyo-IA: two agents, a workflow of tasks, metrics
        tokyo = one("insert into core.tenants (slug, name) values ('tokyo-ia', 'Tokyo-IA') returning id")
        akira = one("insert into agents.agents (tenant_id, name, slug, role, model, specialties) values (%s, "
                    "'Akira - Code Review Master', 'akira-001', 'code_review', 'claude-opus-4.1', "
                    "array['security', 'performance', 'architecture']) returning id", tokyo)
        one("insert into agents.agents (tenant_id, name, slug, role, model, specialties) values (%s, "
            "'Yuki - Test Engineering Specialist', 'yuki-002', 'test_engineering', 'openai-o3', "
            "array['unit_testing', 'integration_testing', 'e2e_testing']) returning id", tokyo)
        workflow = one("insert into work.workflows (tenant_id, name, workflow_type, status) values "
                       "(%s, 'review PR 42', 'code_review', 'running') returning id", tokyo)
        for n in range(40):
            task = one("insert into work.tasks (tenant_id, workflow_id, agent_id, task_type, description, status) "
                       "values (%s, %s, %s, 'code_review', %s, 'running') returning id",
                       tokyo, workflow, akira, f"review file {n}")
            conn.execute("update work.tasks set status = %s, tokens_used = %s, cost_usd = %s, error_message = %s "
                         "where id = %s", ("failed" if n % 10 == 9 else "completed", rng.randint(500, 4000),
                                           round(rng.uniform(0.01, 0.2), 4), "timeout" if n % 10 == 9 else None, task))
        conn.execute("insert into work.metrics (tenant_id, agent_id, metric_type, value, unit, recorded_at) "
                     "select %s, %s, 'latency', 200 + (g * 37) %% 400, 'ms', now() - g * interval '10 minutes' "
                     "from generate_series(1, 100) g", (tokyo, akira))

        # cirkelline: an admin user, sessions, memories, a workflow run
        cirk = one("insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline') returning id")
        ivo = one("insert into core.users (tenant_id, email, password_hash, is_admin, role, context) values "
                  "(%s, 'ivo@cirkelline.example', %s, true, 'CEO', 'Prefers short answers') returning id", cirk, BCRYPT)
        for title in ("Quarterly plan", "Hiring", "Travel to Copenhagen"):
            conn.execute("insert into chat.conversations (tenant_id, user_id, title) values (%s, %s, %s)",
                         (cirk, ivo, title))
        conn.execute("insert into memory.memories (tenant_id, user_id, kind, content, topics, last_accessed_at) "
                     "select %s, %s, 'preference', 'preference ' || g, array['work'], now() - g * interval '1 day' "
                     "from generate_series(1, 50) g", (cirk, ivo))
        conn.execute("insert into work.workflows (tenant_id, name, user_id, status, current_step, steps_completed) "
                     "values (%s, 'memory_optimization', %s, 'running', 'archive', '[\"collect\", \"score\"]')",
                     (cirk, ivo))

        # AJ Copilot: two organizations, public and granted agents, files
        acme = one("insert into core.tenants (slug, name, external_id) values ('aj-acme', 'Acme', 'org_acme') "
                   "returning id")
        globex = one("insert into core.tenants (slug, name, external_id) values ('aj-globex', 'Globex', "
                     "'org_globex') returning id")
        one("insert into agents.agents (tenant_id, name, slug, visibility) values (%s, 'Stock', 'stock', 'public') "
            "returning id", acme)
        ringi = one("insert into agents.agents (tenant_id, name, slug, visibility) values (%s, 'Ringi', 'ringi', "
                    "'private') returning id", acme)
        conn.execute("insert into agents.agent_grants (tenant_id, agent_id, grantee_tenant_id) values (%s, %s, %s)",
                     (acme, ringi, globex))
        alice = one("insert into core.users (tenant_id, external_id, email) values (%s, 'user_alice', "
                    "'alice@acme.example') returning id", acme)
        chat_id = one("insert into chat.conversations (tenant_id, agent_id, user_id, sharing) values "
                      "(%s, %s, %s, 'organization') returning id", acme, ringi, alice)
        message, created = conn.execute("select * from chat.append_message(%s, 'user', 'Summarise the attached "
                                        "report', %s, %s)", (acme, chat_id, ringi)).fetchone()
        report = one("insert into chat.files (tenant_id, conversation_id, user_id, kind, name, size_bytes) values "
                     "(%s, %s, %s, 'attachment', 'q3-report.pdf', 48213) returning id", acme, chat_id, alice)
        conn.execute("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) values "
                     "(%s, %s, %s, %s)", (acme, message, created, report))

        # Heartwood Valley: a player, agents with state, relationships, memories, a schedule
        heartwood = one("insert into core.tenants (slug, name) values ('heartwood', 'Heartwood Valley') returning id")
        player = one("insert into core.users (tenant_id, username, password_hash) values (%s, 'player1', %s) "
                     "returning id", heartwood, BCRYPT)
        hero = one("insert into core.characters (tenant_id, user_id, name) values (%s, %s, 'Wren') returning id",
                   heartwood, player)
        elara = one("insert into agents.agents (tenant_id, name, slug, role, personality) values (%s, 'Elara', "
                    "'elara_blacksmith', 'blacksmith', '{\"traits\": [\"stubborn\", \"kind\"]}') returning id",
                    heartwood)
        marcus = one("insert into agents.agents (tenant_id, name, slug, role) values (%s, 'Marcus', "
                     "'marcus_merchant', 'merchant') returning id", heartwood)
        conn.execute("insert into agents.agent_states (tenant_id, agent_id, location, current_action, mood, energy) "
                     "values (%s, %s, 'forge', 'hammering', 'focused', 80)", (heartwood, elara))
        conn.execute("insert into agents.relationships (tenant_id, agent_id, other_agent_id, relationship_type, "
                     "affection, trust) values (%s, %s, %s, 'rival', -20, 60)", (heartwood, elara, marcus))
        conn.execute("insert into agents.relationships (tenant_id, agent_id, character_id, relationship_type, "
                     "affection, trust) values (%s, %s, %s, 'friend', 45, 70)", (heartwood, elara, hero))
        conn.execute("insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity, "
                     "location) select %s, %s, d, '08:00', '17:00', 'work the forge', 'forge' "
                     "from generate_series(1, 5) d", (heartwood, elara))
        conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content, importance, created_at, "
                     "last_accessed_at) select %s, %s, (array['observation', 'reflection', 'plan'])[1 + g %% 3], "
                     "'Elara remembers event ' || g, 1 + g %% 10, now() - g * interval '2 hours', "
                     "now() - g * interval '2 hours' from generate_series(1, 80) g", (heartwood, elara))

    knowledge = sorted((project.root / "demo" / "knowledge").glob("*.md"))
    results = load.ingest(conn, "personal", knowledge, None) if knowledge else []
    conn.commit()
    counts = {}
    for table in ("core.tenants", "agents.agents", "chat.messages", "work.tasks", "memory.memories",
                  "knowledge.chunks"):
        counts[table] = conn.execute(f"select count(*) from {table}").fetchone()[0]
    counts["knowledge files"] = len(results)
    return counts


def fingerprint(conn: psycopg.Connection) -> str:
    """A digest of the demo's row counts, to show a second load changed nothing."""
    rows = conn.execute("select relname, n_live_tup from pg_stat_user_tables order by 1").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:12]
