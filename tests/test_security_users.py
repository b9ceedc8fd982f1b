"""Per-user isolation in a tenant that declares it (settings.user_isolation): two users,
Ivo and Rasmus, of one isolating tenant; as each (the app role, ops.set_app_user), every
tenant-scoped table, every named query and every search function shows no row of the
other's, while rows shared on purpose stay visible. A tenant without the setting is
unchanged."""

from __future__ import annotations

import json
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from toolkit import queries

from .conftest import ROOT

SCHEMAS = ["core", "agents", "chat", "memory", "knowledge", "work", "ops"]
PRIVATE = "sharing <> 'organization'"
# The rows that belong to user %(u)s, by table; everything else of the tenant is shared.
OWNED = {
    "memory.memories": "user_id = %(u)s",
    "memory.archived_memories": "user_id = %(u)s",
    "agents.agent_states": "user_id = %(u)s",
    "core.characters": "user_id = %(u)s",
    "work.workflows": "user_id = %(u)s",
    "knowledge.documents": "user_id = %(u)s",
    "memory.documents": "user_id = %(u)s",
    "chat.conversations": f"user_id = %(u)s and {PRIVATE}",
    "chat.messages": f"conversation_id in (select id from chat.conversations where user_id = %(u)s and {PRIVATE})",
    "chat.context_spans": f"conversation_id in (select id from chat.conversations where user_id = %(u)s and {PRIVATE})",
    "chat.files": f"user_id = %(u)s or conversation_id in (select id from chat.conversations where user_id = %(u)s "
                  f"and {PRIVATE})",
    "chat.message_files": "file_id in (select id from chat.files where user_id = %(u)s)",
    "knowledge.chunks": "document_id in (select id from knowledge.documents where user_id = %(u)s)",
    "memory.document_versions": "document_id in (select id from memory.documents where user_id = %(u)s)",
}
# Tables with a user column that are deliberately not isolated, and why (docs/security.md).
NOT_ISOLATED = {
    "core.user_sessions": "a session is found by its token hash before anyone knows the user",
    "agents.agents": "owner_user_id: hidden agents have their own rule (agents_hidden)",
    "ops.audit_log": "app_user_id records who changed a row",
    "agents.shared_agents": "published_by_user_id records who published it (a global table, no tenant's rows)",
    "agents.shared_agent_grants": "granted_by and revoked_by_user_id record who granted and revoked",
}


def _user_rows(conn, t: UUID, agent: UUID, model: int, user: UUID, name: str) -> None:
    """One row of each user-owned kind, each carrying the marker '<name>-secret'."""
    def one(q, *p):
        return conn.execute(q, p).fetchone()[0]

    secret = f"{name}-secret"
    conv = one("insert into chat.conversations (tenant_id, agent_id, user_id, title, sharing) values "
               "(%s, %s, %s, %s, 'private') returning id", t, agent, user, secret)
    conn.execute("select chat.stop_context_span(%s, %s)", (t, agent))
    conn.execute("select chat.start_context_span(%s, %s, %s)", (t, agent, conv))
    message, created = conn.execute("select * from chat.append_message(%s, 'user', %s, %s, %s, p_user_id => %s)", (t, f"{secret} about foxes", conv, agent, user)).fetchone()
    conn.execute("select * from chat.append_message(%s, 'assistant', %s, %s, %s)",
                 (t, f"{secret} reply about foxes", conv, agent))
    file = one("insert into chat.files (tenant_id, conversation_id, user_id, kind, name) values "
               "(%s, %s, %s, 'upload', %s) returning id", t, conv, user, f"{secret}.txt")
    conn.execute("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) "
                 "values (%s, %s, %s, %s)", (t, message, created, file))
    conn.execute("insert into memory.memories (tenant_id, agent_id, user_id, kind, content, importance, embedding, "
                 "embedding_model_id) values (%s, %s, %s, 'preference', %s, 9, '[1,0,0]', %s)",
                 (t, agent, user, f"{secret} foxes preference", model))
    conn.execute("insert into memory.archived_memories (tenant_id, id, agent_id, user_id, kind, content) "
                 "values (%s, ops.uuidv7(), %s, %s, 'fact', %s)", (t, agent, user, secret))
    conn.execute("insert into agents.agent_states (tenant_id, agent_id, user_id, mood) values (%s, %s, %s, %s)",
                 (t, agent, user, secret))
    conn.execute("insert into core.characters (tenant_id, user_id, name) values (%s, %s, %s)", (t, user, secret))
    conn.execute("insert into work.workflows (tenant_id, name, user_id) values (%s, %s, %s)", (t, secret, user))
    kdoc = one("insert into knowledge.documents (tenant_id, name, user_id) values (%s, %s, %s) returning id",
               t, secret, user)
    conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, embedding_model_id) "
                 "values (%s, %s, 0, %s, '[1,0,0]', %s)", (t, kdoc, f"{secret} foxes chunk", model))
    doc = one("insert into memory.documents (tenant_id, alias, title, content, user_id, tags) values "
              "(%s, %s, %s, %s, %s, array['foxes']) returning id", t, f"{name}/notes", secret,
              f"{secret} foxes v1", user)
    conn.execute("update memory.documents set content = %s where id = %s", (f"{secret} foxes v2", doc))


@pytest.fixture
def isolating(db_conn):
    """Tenant 'iso' (user_isolation) with Ivo's and Rasmus's rows and some shared ones."""
    def one(q, *p):
        return db_conn.execute(q, p).fetchone()[0]

    t = one("insert into core.tenants (slug, name, settings) values ('iso', 'Iso', '{\"user_isolation\": true}') "
            "returning id")
    # the tenant and the model each committed: on Citus the security definer function runs as
    # the owner, who may not touch rows (reference tables: one group) this superuser connection
    # changed in the same transaction
    db_conn.commit()
    model = one("select knowledge.register_embedding_model('iso-3', 3)")
    db_conn.commit()
    agent = one("insert into agents.agents (tenant_id, name, slug) values (%s, 'bot', 'bot') returning id", t)
    users = {}
    for name in ("ivo", "rasmus"):
        users[name] = one("insert into core.users (tenant_id, email) values (%s, %s) returning id",
                          t, f"{name}@iso.test")
        _user_rows(db_conn, t, agent, model, users[name], name)
    # shared on purpose: an organization-shared conversation, a document without an owner
    shared = one("insert into chat.conversations (tenant_id, agent_id, user_id, title, sharing) values "
                 "(%s, %s, %s, 'team foxes', 'organization') returning id", t, agent, users["rasmus"])
    db_conn.execute("select * from chat.append_message(%s, 'user', 'shared foxes note', %s, %s, p_user_id => %s)",
                    (t, shared, agent, users["rasmus"]))
    kdoc = one("insert into knowledge.documents (tenant_id, name) values (%s, 'handbook') returning id", t)
    db_conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, embedding_model_id) "
                    "values (%s, %s, 0, 'shared foxes handbook', '[1,0,0]', %s)", (t, kdoc, model))
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content) values "
                    "(%s, %s, 'observation', 'shared foxes memory')", (t, agent))
    db_conn.commit()
    return t, users, agent, model


def _as(conn, role: str, user: UUID | None, tenant: str = "iso"):
    conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
    conn.execute("select ops.set_tenant(%s)", (tenant,))
    if user:
        conn.execute("select ops.set_app_user(%s)", (user,))


def _rows(conn, table: str, where: str | None = None, params=None) -> set[str]:
    # the columns' values, not row_to_json(x): Citus deparses a whole-row reference without the
    # column names in some plans, so the same row would compare unequal
    query = f"select x.* from {table} x" + (f" where {where}" if where else "")
    return {repr(r) for r in conn.execute(query, params)}


def _tenant_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute("""
        select c.oid::regclass::text from pg_class c
         where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p') and not c.relispartition
           and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id')
         order by 1""", (SCHEMAS,))]


def test_every_table_with_a_user_column_is_isolated_or_exempt(db_conn):
    with_user = {r[0] for r in db_conn.execute("""
        select distinct c.oid::regclass::text from pg_class c join pg_attribute a on a.attrelid = c.oid
         where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p') and not c.relispartition
           and a.attname ~ 'user_id$' and not a.attisdropped""", (SCHEMAS,))}
    assert with_user - set(OWNED) - set(NOT_ISOLATED) == set()
    # the restrictive policy, or on Citus the same rule folded into tenant_isolation_select
    # (ops.fold_restrictive_policies)
    policies = {r[0] for r in db_conn.execute(
        "select polrelid::regclass::text from pg_policy where polname = 'user_isolation' and not polpermissive "
        "or polname = 'tenant_isolation_select' and pg_get_expr(polqual, polrelid) like '%user_isolated()%'")}
    assert policies == set(OWNED)


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_no_table_shows_a_row_of_the_other_user(db_conn, isolating, kind):
    _, users, _, _ = isolating
    role = dict(db_conn.execute("select kind, name from ops.roles").fetchall())[kind]
    db_conn.commit()
    db_conn.autocommit = True
    for me, other in (("ivo", "rasmus"), ("rasmus", "ivo")):
        for table in _tenant_tables(db_conn):
            theirs = _rows(db_conn, table, OWNED[table], {"u": users[other]}) if table in OWNED else set()
            mine = _rows(db_conn, table, OWNED[table], {"u": users[me]}) if table in OWNED else set()
            assert not table in OWNED or (theirs and mine), f"the fixture leaves {table} without a row of each user"
            with db_conn.transaction():
                _as(db_conn, role, users[me])
                seen = _rows(db_conn, table)
            assert seen & theirs == set(), f"{me} sees {other}'s rows in {table}"
            assert mine <= seen, f"{me} does not see their own rows in {table}"
    # shared on purpose: both see the team conversation, the handbook and the agent's memory
    for me in users.values():
        with db_conn.transaction():
            _as(db_conn, role, me)
            assert db_conn.execute("select count(*) from chat.conversations where title = 'team foxes'").fetchone()[0]
            assert db_conn.execute("select count(*) from chat.messages where content = 'shared foxes note'"
                                   ).fetchone()[0]
            assert db_conn.execute("select count(*) from knowledge.chunks where content like 'shared%%'").fetchone()[0]
            assert db_conn.execute("select count(*) from memory.memories where user_id is null").fetchone()[0]
    # without an app user, an isolating tenant shows only what is shared
    with db_conn.transaction():
        _as(db_conn, role, None)
        assert db_conn.execute("select count(*) from memory.memories where user_id is not null").fetchone()[0] == 0


def test_writes_cannot_reach_the_other_users_rows(db_conn, isolating):
    _, users, agent, _ = isolating
    role = dict(db_conn.execute("select kind, name from ops.roles").fetchall())["app"]
    db_conn.commit()
    db_conn.autocommit = True
    with db_conn.transaction():
        _as(db_conn, role, users["ivo"])
        assert db_conn.execute("update memory.memories set importance = 0 where content like 'rasmus%%'").rowcount == 0
        assert db_conn.execute("delete from chat.messages where content like 'rasmus%%'").rowcount == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"), db_conn.transaction():
        _as(db_conn, role, users["ivo"])
        db_conn.execute("insert into memory.memories (tenant_id, agent_id, user_id, kind, content) "
                        "values (%s, %s, %s, 'fact', 'planted')", (isolating[0], agent, users["rasmus"]))


def _query_values(conn, t, users, me, other) -> dict[str, str]:
    """Values for every named query parameter, pointing at the other user's rows where a
    parameter names one (an id, a reference): the attack, not only the default."""
    def one(q, *p):
        return conn.execute(q, p).fetchone()[0]

    return {
        "tenant": "iso", "agent": "bot", "query": "foxes", "topic": "foxes", "embedding": "[1,0,0]",
        "model": "iso-3", "project": "app", "tags": "foxes", "metric_type": "latency",
        "user_name": other, "machine": "m", "path": "/", "since": "2000-01-01", "bucket": "1 hour",
        "user": f"{other}@iso.test", "reference": f"#mem-{other}/notes",
        "conversation": str(one("select id from chat.conversations where user_id = %s and sharing = 'private'",
                                users[other])),
        "workflow": str(one("select id from work.workflows where user_id = %s", users[other])),
        "task": "00000000-0000-0000-0000-000000000000",
    }


def test_named_queries_and_search_functions_show_nothing_of_the_other_user(db_conn, isolating):
    t, users, agent, model = isolating
    role = dict(db_conn.execute("select kind, name from ops.roles").fetchall())["app"]
    named = queries.load_all(ROOT / "sql" / "queries")
    assert len(named) > 20
    db_conn.commit()
    db_conn.autocommit = True
    for me, other in (("ivo", "rasmus"), ("rasmus", "ivo")):
        theirs = {str(r[0]) for table, where in OWNED.items() if "id" in _columns(db_conn, table)
                  for r in db_conn.execute(f"select id from {table} where {where}", {"u": users[other]})}
        values = _query_values(db_conn, t, users, me, other)
        outputs = {}
        for name, query in named.items():
            given = {p.name: str(agent) if (p.name, p.type) == ("agent", "uuid") else values[p.name]
                     for p in query.params if p.name in values and
                     (p.required or p.name in ("tenant", "agent", "query", "embedding", "model", "tags", "since"))}
            bound = queries.bind(db_conn, query, given)
            with db_conn.transaction():
                _as(db_conn, role, users[me])
                try:
                    with db_conn.transaction():
                        rows = db_conn.execute(queries.compile_sql(query), bound).fetchall()
                except (psycopg.errors.RaiseException, psycopg.errors.NoDataFound):
                    rows = []  # e.g. "no memory document #mem-…": refused, which is the point
                except psycopg.errors.ObjectNotInPrerequisiteState as exc:
                    assert "pg_stat_statements" in str(exc)  # not installed on the embedded server
                    rows = []
            outputs[name] = json.dumps([list(r) for r in rows], default=str)
        searches = {
            "chat.search_messages": "select * from chat.search_messages(%(t)s, 'foxes', '[1,0,0]', %(m)s)",
            "knowledge.hybrid_search": "select * from knowledge.hybrid_search(%(t)s, 'foxes', '[1,0,0]', %(m)s)",
            "knowledge.hybrid_search ts_rank": "select * from knowledge.hybrid_search(%(t)s, 'foxes', '[1,0,0]', "
                                               "%(m)s, p_keyword_leg => 'ts_rank')",
            "knowledge.search_chunks_bm25": "select * from knowledge.search_chunks_bm25(%(t)s, 'foxes')",
            "knowledge.search_chunks_keyword": "select * from knowledge.search_chunks_keyword(%(t)s, 'foxes')",
            "knowledge.search_chunks_vector": "select * from knowledge.search_chunks_vector(%(t)s, %(m)s, '[1,0,0]')",
            "memory.search_documents": "select * from memory.search_documents(%(t)s, 'foxes')",
            "memory.retrieve_memories": "select * from memory.retrieve_memories(%(t)s, %(a)s, '[1,0,0]', %(m)s, "
                                        "p_touch => false)",
            "ops.keyword_rows": "select * from ops.keyword_rows('chat.messages', 'foxes', 10, %(t)s)",
            "ops.hybrid_rows": "select * from ops.hybrid_rows('chat.messages', %(t)s, 'foxes', '[1,0,0]', %(m)s, 10, "
                               "'weighted')",
            "ops.nearest_rows": "select * from ops.nearest_rows('knowledge.chunks', %(m)s, '[1,0,0]', 10, %(t)s)",
            # not here: ops.bm25_rows, the ranking primitive over the tenant's keyword index
            # (row ids and scores, no content; every search above reads through it), docs/security.md
        }
        for name, statement in searches.items():
            with db_conn.transaction():
                _as(db_conn, role, users[me])
                rows = db_conn.execute(statement, {"t": t, "m": model, "a": agent}).fetchall()
            outputs[name] = json.dumps([list(r) for r in rows], default=str)
        for name, output in outputs.items():
            assert f"{other}-secret" not in output, f"{name} shows {other}'s rows to {me}"
            assert not [i for i in theirs if i in output], f"{name} shows ids of {other}'s rows to {me}"
        # and the searches are not empty: each user finds their own and the shared rows
        assert f"{me}-secret" in outputs["chat.search_messages"] and "shared" in outputs["chat.search_messages"]
        assert f"{me}-secret" in outputs["memory.retrieve_memories"]


def _columns(conn, table: str) -> set[str]:
    return {r[0] for r in conn.execute("select attname from pg_attribute where attrelid = %s::regclass "
                                       "and attnum > 0 and not attisdropped", (table,))}


def test_a_tenant_without_the_setting_is_unchanged(db_conn, isolating):
    def one(q, *p):
        return db_conn.execute(q, p).fetchone()[0]

    t = one("insert into core.tenants (slug, name) values ('open', 'Open') returning id")
    agent = one("insert into agents.agents (tenant_id, name) values (%s, 'bot') returning id", t)
    ann, bob = (one("insert into core.users (tenant_id, email) values (%s, %s) returning id", t, e)
                for e in ("ann@open.test", "bob@open.test"))
    db_conn.execute("insert into memory.memories (tenant_id, agent_id, user_id, kind, content) values "
                    "(%s, %s, %s, 'fact', 'ann fact')", (t, agent, ann))
    db_conn.commit()
    role = dict(db_conn.execute("select kind, name from ops.roles").fetchall())["app"]
    db_conn.commit()
    db_conn.autocommit = True
    with db_conn.transaction():
        _as(db_conn, role, bob, "open")
        assert db_conn.execute("select count(*) from memory.memories where content = 'ann fact'").fetchone()[0] == 1
