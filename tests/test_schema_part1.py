"""Schema part 1 (core, agents, chat, memory documents) as the seed systems use it."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import psycopg
import pytest

from .helpers import run_cli
from .sample import IKIGAI_REMOTE, PERSONAL, agent, append, load, one

REMOTES = [
    ("git@github.com:mgreenly/ikigai.git", "ikigai"),
    ("https://github.com/mgreenly/ikigai.git", "ikigai"),
    ("https://github.com/mgreenly/ikigai", "ikigai"),
    ("https://github.com/mgreenly/ikigai.git/", "ikigai"),
    ("ssh://git@github.com/mgreenly/ikigai.git", "ikigai"),
    ("ssh://git@git.example.com:2222/group/sub/ikigai.git", "ikigai"),
    ("git://example.org/ikigai.git", "ikigai"),
    ("file:///srv/git/ikigai.git", "ikigai"),
    ("/srv/git/ikigai.git", "ikigai"),
    ("https://user:token@gitlab.com/group/Tool-X.GIT", "Tool-X"),
    ("https://dev.azure.com/org/proj/_git/other-tool", "other-tool"),
    ("  git@github.com:mgreenly/ikigai.git \n", "ikigai"),
    ("git@github.com:ikigai", "ikigai"),
    ("C:\\repos\\ikigai.git", "ikigai"),
]


@pytest.mark.parametrize("remote, expected", REMOTES)
def test_project_name_from_remote(db_conn, remote, expected):
    assert one(db_conn, "select core.project_name_from_remote(%s, 'mgreenly')", (remote,)) == expected


@pytest.mark.parametrize("remote", [None, "", "   "])
def test_project_outside_a_repository_is_at_username(db_conn, remote):
    assert one(db_conn, "select core.project_name_from_remote(%s, 'mgreenly')", (remote,)) == "@mgreenly"
    assert one(db_conn, "select core.project_name_from_remote(%s)", (remote,)) == "@unknown"


def test_ensure_project_returns_or_creates_one_row(db_conn):
    first = one(db_conn, "select core.ensure_project(%s, %s, 'mgreenly')", (PERSONAL, IKIGAI_REMOTE))
    again = one(db_conn, "select core.ensure_project(%s, %s, 'mgreenly')",
                (PERSONAL, "https://github.com/mgreenly/ikigai"))
    assert first == again
    assert one(db_conn, "select count(*) from core.projects where name = 'ikigai'") == 1
    loose = one(db_conn, "select core.ensure_project(%s, null, 'mgreenly')", (PERSONAL,))
    assert one(db_conn, "select name from core.projects where id = %s", (loose,)) == "@mgreenly"


def test_two_clients_write_to_one_agents_conversation(db_conn, db_url):
    coder = agent(db_conn, PERSONAL, "coder")
    conversation = one(db_conn, "insert into chat.conversations (tenant_id, agent_id) values (%s, %s) returning id",
                       (PERSONAL, coder))
    db_conn.commit()
    clients = [("laptop", "/home/m/ikigai/main"), ("workstation", "/home/m/ikigai/feature")]
    errors = []

    def client(machine, path):
        try:
            with psycopg.connect(db_url) as conn:
                for n in range(5):
                    append(conn, PERSONAL, "user", f"{machine} line {n}", conversation_id=conversation,
                           agent_id=coder, machine=machine, path=path, user_name="mgreenly",
                           git_remote=IKIGAI_REMOTE)
                    conn.commit()
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=client, args=c) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = db_conn.execute("select machine, path, count(*) from chat.messages where conversation_id = %s "
                           "group by 1, 2 order by 1", (conversation,)).fetchall()
    assert rows == [("laptop", "/home/m/ikigai/main", 5), ("workstation", "/home/m/ikigai/feature", 5)]
    assert one(db_conn, "select message_count from chat.conversations where id = %s", (conversation,)) == 10
    assert one(db_conn, "select count(distinct project_id) from chat.messages") == 1


def test_a_second_open_span_is_refused(db_conn):
    coder = agent(db_conn, PERSONAL, "coder")
    first = one(db_conn, "select chat.start_context_span(%s, %s)", (PERSONAL, coder))
    assert one(db_conn, "select chat.start_context_span(%s, %s)", (PERSONAL, coder)) == first
    with pytest.raises(psycopg.errors.UniqueViolation, match="context_spans_tenant_id_agent_id_open_key"):
        db_conn.execute("insert into chat.context_spans (tenant_id, agent_id) values (%s, %s)", (PERSONAL, coder))


def test_clear_and_stop_end_spans_with_their_reason(db_conn):
    coder = agent(db_conn, PERSONAL, "coder")
    first = one(db_conn, "select chat.start_context_span(%s, %s)", (PERSONAL, coder))
    second = one(db_conn, "select chat.clear_context_span(%s, %s)", (PERSONAL, coder))
    assert second != first
    stopped = one(db_conn, "select chat.stop_context_span(%s, %s)", (PERSONAL, coder))
    assert stopped == second
    rows = db_conn.execute("select id, end_reason from chat.context_spans order by started_at, id").fetchall()
    assert rows == [(first, "clear"), (second, "stop")]
    assert one(db_conn, "select chat.stop_context_span(%s, %s)", (PERSONAL, coder)) is None


def test_messages_inherit_tags_and_focus_from_the_open_span(db_conn):
    coder = agent(db_conn, PERSONAL, "coder")
    db_conn.execute("select chat.tag_context_span(%s, %s, array['oauth', 'security'])", (PERSONAL, coder))
    db_conn.execute("select chat.tag_context_span(%s, %s, array['security', 'tokens'])", (PERSONAL, coder))
    db_conn.execute("select chat.set_context_focus(%s, %s, 'implementing authentication')", (PERSONAL, coder))
    inherited, _ = append(db_conn, PERSONAL, "user", "first", agent_id=coder)
    explicit, _ = append(db_conn, PERSONAL, "user", "second", agent_id=coder, tags=["mine"], focus="other")
    rows = dict((r[0], r[1:]) for r in db_conn.execute(
        "select id, tags, focus, context_span_id is not null from chat.messages"))
    assert rows[inherited] == (["oauth", "security", "tokens"], "implementing authentication", True)
    assert rows[explicit] == (["mine"], "other", True)
    new_span = one(db_conn, "select chat.clear_context_span(%s, %s)", (PERSONAL, coder))
    assert db_conn.execute("select tags, focus from chat.context_spans where id = %s", (new_span,)).fetchone() == (
        ["oauth", "security", "tokens"], "implementing authentication")


def test_title_and_last_activity_come_from_messages(db_conn):
    coder = agent(db_conn, PERSONAL, "coder")
    conversation = one(db_conn, "insert into chat.conversations (tenant_id, agent_id) values (%s, %s) returning id",
                       (PERSONAL, coder))
    append(db_conn, PERSONAL, "system", "You are helpful.", conversation_id=conversation,
           created_at="2026-03-01T10:00:00Z")
    append(db_conn, PERSONAL, "user", "  Plan the\n  database   migration for v2 " + "x" * 100,
           conversation_id=conversation, created_at="2026-03-01T10:00:01Z")
    append(db_conn, PERSONAL, "user", "second question", conversation_id=conversation,
           created_at="2026-03-01T10:05:00Z")
    title, count, last = db_conn.execute(
        "select title, message_count, last_activity_at from chat.conversations where id = %s", (conversation,)
    ).fetchone()
    assert title.startswith("Plan the database migration for v2 xxx") and len(title) == 80
    assert count == 3
    assert last == datetime(2026, 3, 1, 10, 5, tzinfo=timezone.utc)
    # a multi-row insert updates each conversation once, with every row counted
    db_conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content, created_at) "
                    "select %s, %s, 'assistant', 'a' || g, '2026-03-02'::timestamptz + g * interval '1 s' "
                    "from generate_series(1, 50) g", (PERSONAL, conversation))
    assert db_conn.execute("select message_count, last_activity_at from chat.conversations where id = %s",
                           (conversation,)).fetchone() == (53, datetime(2026, 3, 2, 0, 0, 50, tzinfo=timezone.utc))


def test_messages_land_in_their_month_or_the_default_partition(db_conn):
    now = one(db_conn, "select now()")
    append(db_conn, PERSONAL, "user", "today")
    append(db_conn, PERSONAL, "user", "far future", created_at="2041-06-01T00:00:00Z")
    append(db_conn, PERSONAL, "user", "far past", created_at="1999-01-01T00:00:00Z")
    rows = dict(db_conn.execute("select content, tableoid::regclass::text from chat.messages").fetchall())
    assert rows["today"] == f"chat.messages_p{now:%Y_%m}"
    assert rows["far future"] == "chat.messages_default"
    assert rows["far past"] == "chat.messages_default"


def test_ensure_time_partitions_moves_rows_out_of_the_default_partition(db_conn):
    append(db_conn, PERSONAL, "user", "next year", created_at=None)
    db_conn.execute("insert into chat.messages (tenant_id, role, content, created_at) "
                    "values (%s, 'user', 'ahead', now() + interval '5 months')", (PERSONAL,))
    assert one(db_conn, "select count(*) from chat.messages_default") == 1
    created = [r[0] for r in db_conn.execute("select ops.ensure_time_partitions('chat.messages', 'month', 0, 6)")]
    assert len(created) == 3  # months +4, +5, +6 were missing
    assert one(db_conn, "select count(*) from chat.messages_default") == 0
    assert one(db_conn, "select count(*) from chat.messages where content = 'ahead'") == 1
    assert [r[0] for r in db_conn.execute("select ops.ensure_time_partitions('chat.messages', 'month', 0, 6)")] == []


def test_memory_documents_keep_every_version_and_resolve_references(db_conn):
    coder = agent(db_conn, PERSONAL, "coder")
    ref = one(db_conn, "insert into memory.documents (tenant_id, alias, title, content, created_by_agent_id) "
                       "values (%s, 'oauth/patterns', 'OAuth', 'v1', %s) returning ref_number", (PERSONAL, coder))
    db_conn.execute("update memory.documents set content = 'v2', updated_by_agent_id = %s", (coder,))
    db_conn.execute("update memory.documents set content = 'v3', tags = array['oauth']")
    db_conn.execute("update memory.documents set archived_at = null")  # no content change: no version
    assert one(db_conn, "select version from memory.documents") == 3
    versions = db_conn.execute("select version, content from memory.document_versions order by version").fetchall()
    assert versions == [(1, "v1"), (2, "v2")]
    for reference in (f"#mem-{ref}", f"mem-{ref}", "#mem-oauth/patterns", "#MEM-OAuth/Patterns"):
        assert one(db_conn, "select content from memory.resolve_reference(%s, %s)", (PERSONAL, reference)) == "v3"
    assert db_conn.execute("select * from memory.resolve_reference(%s, '#mem-nothing')", (PERSONAL,)).fetchall() == []
    hits = db_conn.execute("select title from memory.documents where search_text @@ "
                           "websearch_to_tsquery('english', 'oauth')").fetchall()
    assert hits == [("OAuth",)]


@pytest.mark.parametrize("statement, constraint", [
    ("insert into agents.relationships (tenant_id, agent_id, other_agent_id, affection) values (%(t)s, %(a)s, %(b)s, 101)",
     "relationships_affection_check"),
    ("insert into agents.relationships (tenant_id, agent_id, other_agent_id, trust) values (%(t)s, %(a)s, %(b)s, -1)",
     "relationships_trust_check"),
    ("insert into agents.relationships (tenant_id, agent_id, other_agent_id) values (%(t)s, %(a)s, %(a)s)",
     "relationships_not_self_check"),
    ("insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity) "
     "values (%(t)s, %(a)s, 1, '10:00', '09:00', 'forge')", "schedules_time_check"),
    ("insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity) "
     "values (%(t)s, %(a)s, 7, '08:00', '09:00', 'forge')", "schedules_day_of_week_check"),
    ("insert into agents.agent_states (tenant_id, agent_id, energy) values (%(t)s, %(a)s, 101)",
     "agent_states_energy_check"),
    ("insert into agents.agents (tenant_id, name, visibility) values (%(t)s, 'x', 'everyone')",
     "agents_visibility_check"),
    ("insert into agents.plans (tenant_id, agent_id, goal, steps, current_step) "
     "values (%(t)s, %(a)s, 'g', '[\"a\"]', 2)", "plans_current_step_check"),
    ("insert into core.users (tenant_id, email, password_hash) values (%(t)s, 'a@b.c', 'hunter2')",
     "users_password_hash_check"),
    ("insert into chat.files (tenant_id, kind, name) values (%(t)s, 'upload', '../etc/passwd')", "files_name_check"),
])
def test_range_checks_refuse_bad_values_naming_the_constraint(db_conn, statement, constraint):
    a = agent(db_conn, PERSONAL, "a")
    b = agent(db_conn, PERSONAL, "b")
    with pytest.raises(psycopg.errors.CheckViolation) as caught:
        db_conn.execute(statement, {"t": PERSONAL, "a": a, "b": b})
    assert caught.value.diag.constraint_name == constraint


def test_relationship_limits_are_accepted(db_conn):
    a = agent(db_conn, PERSONAL, "a")
    b = agent(db_conn, PERSONAL, "b")
    db_conn.execute("insert into agents.relationships (tenant_id, agent_id, other_agent_id, affection, trust) "
                    "values (%s, %s, %s, -100, 0), (%s, %s, %s, 100, 100)", (PERSONAL, a, b, PERSONAL, b, a))
    assert one(db_conn, "select count(*) from agents.relationships") == 2


def test_users_email_is_unique_per_tenant_case_insensitively(db_conn):
    bcrypt = "$2b$12$" + "a" * 53
    db_conn.execute("insert into core.users (tenant_id, email, password_hash) values (%s, 'Ann@Example.com', %s)",
                    (PERSONAL, bcrypt))
    other = one(db_conn, "insert into core.tenants (slug, name) values ('acme', 'Acme') returning id")
    db_conn.execute("insert into core.users (tenant_id, email) values (%s, 'ann@example.com')", (other,))
    with pytest.raises(psycopg.errors.UniqueViolation, match="users_tenant_id_lower_email_key"):
        db_conn.execute("insert into core.users (tenant_id, email) values (%s, 'ANN@example.com')", (PERSONAL,))


def test_session_tokens_are_stored_only_as_hashes(db_conn):
    user = one(db_conn, "insert into core.users (tenant_id, username) values (%s, 'player1') returning id", (PERSONAL,))
    with pytest.raises(psycopg.errors.CheckViolation, match="user_sessions_token_hash_check"), db_conn.transaction():
        db_conn.execute("insert into core.user_sessions (tenant_id, user_id, token_hash) values (%s, %s, 'tok')",
                        (PERSONAL, user))
    db_conn.execute("insert into core.user_sessions (tenant_id, user_id, token_hash, ip_address) "
                    "values (%s, %s, encode(sha256('tok'::bytea), 'hex'), '10.0.0.1')", (PERSONAL, user))


def test_workspace_path_is_derived_by_the_database(db_conn):
    user = one(db_conn, "insert into core.users (tenant_id, username) values (%s, 'ann') returning id", (PERSONAL,))
    conversation = one(db_conn, "insert into chat.conversations (tenant_id, user_id) values (%s, %s) returning id",
                       (PERSONAL, user))
    paths = dict(db_conn.execute(
        "insert into chat.files (tenant_id, user_id, conversation_id, kind, name) values "
        "(%(t)s, %(u)s, %(c)s, 'upload', 'report.pdf'), (%(t)s, %(u)s, %(c)s, 'generated', 'chart.png'), "
        "(%(t)s, %(u)s, %(c)s, 'attachment', 'notes.txt') returning kind, workspace_path",
        {"t": PERSONAL, "u": user, "c": conversation}).fetchall())
    base = f"workspaces/{PERSONAL}/{user}/{conversation}/files"
    assert paths == {"upload": f"{base}/uploads/report.pdf", "generated": f"{base}/generated/chart.png",
                     "attachment": f"{base}/attachments/notes.txt"}


def test_updated_at_is_kept_by_trigger_on_every_changing_table(db_conn):
    tables = db_conn.execute("""
        select c.oid::regclass::text from pg_class c join pg_attribute a on a.attrelid = c.oid
        where a.attname = 'updated_at' and c.relkind in ('r', 'p') and not c.relispartition
          and c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work')
          and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = '_100_set_updated_at')
    """).fetchall()
    assert tables == []


def test_every_table_column_and_function_has_a_comment(db_conn):
    missing = db_conn.execute("""
        select 'table ' || c.oid::regclass from pg_class c
        where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
          and c.relkind in ('r', 'p', 'v', 'm') and obj_description(c.oid, 'pg_class') is null
        union all
        select 'column ' || c.oid::regclass || '.' || a.attname from pg_class c
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
          and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
          and col_description(c.oid, a.attnum) is null
        union all
        select 'function ' || p.oid::regprocedure from pg_proc p
        where p.pronamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
          and obj_description(p.oid, 'pg_proc') is null
        union all
        select 'index ' || c.oid::regclass from pg_class c
        where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
          and c.relkind in ('i', 'I') and not c.relispartition and obj_description(c.oid, 'pg_class') is null
          and not exists (select 1 from pg_constraint k where k.conindid = c.oid)
    """).fetchall()
    assert missing == []


def test_every_foreign_key_has_a_supporting_index(db_conn):
    """The index's leading columns are the foreign key's columns (in any order)."""
    missing = db_conn.execute("""
        select k.conrelid::regclass || ' ' || k.conname
          from pg_constraint k
         where k.contype = 'f'
           and k.connamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and not exists (
               select 1 from pg_index i
                where i.indrelid = k.conrelid
                  and (select array_agg(x order by x) from unnest(k.conkey) x)
                      = (select array_agg(x order by x)
                           from unnest((i.indkey::smallint[])[0:cardinality(k.conkey) - 1]) x))
    """).fetchall()
    assert missing == []
