"""Least privilege, checked from the catalog: every table, partition, view and sequence of
agentdb's schemas is tried with every write (insert, update, delete, truncate) and every
function with execute, as the app role and as the read-only role, and the outcome is
compared with the allow-list below. The list is a rule (a new tenant-scoped table that
follows the conventions passes) with explicit exceptions, so a new global table, a new
grant or a new function that widens access fails here."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

SCHEMAS = ["core", "agents", "chat", "memory", "knowledge", "work", "ops"]

# Tenant-scoped tables (tenant_id) the app role may write under row-level security, except:
APP_WRITES_EXCEPTIONS = {"ops.audit_log": {"insert"}}  # the log: insert only (its triggers run as the writer)
# maintenance and DDL: only the owner runs them (agentdb maintain / migrate)
OWNER_ONLY_FUNCTIONS = {
    "ops.secure_objects", "ops.enable_tenant_rls", "ops.ensure_time_partitions", "ops.maintain_partitions",
    "ops.apply_retention_policy", "ops.apply_retention",
    "knowledge.create_embedding_indexes", "knowledge.maintain_bm25", "ops.ensure_event_outbox",
}
# security definer functions that write with the owner's rights: the app role only
APP_ONLY_FUNCTIONS_RULE = "security definer and volatile"
READONLY_DEFINERS = {"ops.set_tenant"}  # volatile definers the read-only role may call too
PROVISIONING_PREFIX = "core.provision_"  # tenant provisioning: the provisioning role's alone
WRITES = ("insert", "update", "delete", "truncate")


def _relations(conn):
    return conn.execute("""
        select c.oid::regclass::text, c.relkind, c.relispartition,
               exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                        and not a.attisdropped)
          from pg_class c
         where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p', 'v', 'm')
         order by 1""", (SCHEMAS,)).fetchall()


def allowed(kind: str, table: str, relkind: str, partition: bool, tenant_scoped: bool) -> set[str]:
    """What `kind` (app or readonly) may do to a relation, by rule."""
    if partition:
        return set()  # a partition read directly would bypass the parent's policies
    if kind == "readonly" or relkind not in ("r", "p") or not tenant_scoped:
        return {"select"}
    return {"select"} | APP_WRITES_EXCEPTIONS.get(table, {"insert", "update", "delete"})


def _attempt(conn, role: str, statement: sql.Composable) -> str:
    """Run one statement as `role` (tenant set, rolled back): 'denied' or 'allowed'."""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute(sql.SQL("set local role {}").format(sql.Identifier(role)))
            conn.execute("select ops.set_tenant('personal')")
            conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege as exc:
        if "permission denied" in str(exc):
            return "denied"
        raise
    except psycopg.errors.ObjectNotInPrerequisiteState:
        return "denied"  # a view that cannot be written (checked before privileges)
    return "allowed"


def _statements(table: str, columns: list[str]) -> dict[str, sql.Composable]:
    t = sql.SQL(table)
    col = sql.Identifier(columns[0])
    return {
        "select": sql.SQL("select from {} where false").format(t),
        "insert": sql.SQL("insert into {t} ({c}) select {c} from {t} where false").format(t=t, c=col),
        "update": sql.SQL("update {t} set {c} = {c} where false").format(t=t, c=col),
        "delete": sql.SQL("delete from {} where false").format(t),
        "truncate": sql.SQL("truncate {}").format(t),
    }


@pytest.fixture
def roles(db_conn):
    names = dict(db_conn.execute("select kind, name from ops.roles").fetchall())
    db_conn.commit()
    db_conn.autocommit = True
    return names


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_every_write_on_every_relation_matches_the_allow_list(db_conn, roles, kind):
    role = roles[kind]
    relations = _relations(db_conn)
    assert len(relations) > 40  # partitions included
    wrong = []
    for table, relkind, partition, tenant_scoped in relations:
        columns = [r[0] for r in db_conn.execute(
            "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped "
            "and attidentity = '' and attgenerated = '' order by attnum", (table,))]
        want = allowed(kind, table, relkind, partition, tenant_scoped)
        for action, statement in _statements(table, columns).items():
            if relkind in ("v", "m") and action == "truncate":
                continue  # not a table: truncate is refused whatever the grants
            got = _attempt(db_conn, role, statement)
            if (got == "allowed") != (action in want):
                wrong.append(f"{kind} {action} {table}: {got}, allow-list says "
                             f"{'allowed' if action in want else 'denied'}")
        # no column-level grant slips a write past the table's privileges
        for action in ("insert", "update", "references"):
            if action not in want and db_conn.execute("select has_any_column_privilege(%s, %s, %s)",
                                                      (role, table, action)).fetchone()[0]:
                wrong.append(f"{kind} has {action} on a column of {table}")
    assert wrong == []


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_every_sequence_matches_the_allow_list(db_conn, roles, kind):
    rows = db_conn.execute("""
        select c.oid::regclass::text,
               has_sequence_privilege(%(role)s, c.oid, 'usage'), has_sequence_privilege(%(role)s, c.oid, 'update'),
               exists (select 1 from pg_depend d join pg_attribute a on a.attrelid = d.refobjid
                                 and a.attname = 'tenant_id'
                        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
          from pg_class c where c.relkind = 'S' and c.relnamespace::regnamespace::text = any(%(schemas)s)
    """, {"role": roles[kind], "schemas": SCHEMAS}).fetchall()
    assert rows
    wrong = [name for name, usage, update, tenant_seq in rows
             if update or usage != (kind == "app" and tenant_seq)]
    assert wrong == []


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_every_function_execute_matches_the_allow_list(db_conn, roles, kind):
    role = roles[kind]
    functions = db_conn.execute("""
        select p.oid::regprocedure::text, p.pronamespace::regnamespace::text || '.' || p.proname,
               p.prokind, p.prosecdef, p.provolatile, p.pronargs
          from pg_proc p where p.pronamespace::regnamespace::text = any(%s) order by 1
    """, (SCHEMAS,)).fetchall()
    assert len(functions) > 60
    wrong = []
    for signature, name, prokind, definer, volatility, nargs in functions:
        want = name not in OWNER_ONLY_FUNCTIONS and not name.startswith(PROVISIONING_PREFIX)
        if kind == "readonly" and definer and volatility == "v" and name not in READONLY_DEFINERS:
            want = False  # it would write with the owner's rights
        if db_conn.execute("select has_function_privilege(%s, %s, 'execute')",
                           (role, signature)).fetchone()[0] != want:
            wrong.append(f"{kind} execute {signature}: allow-list says {'allowed' if want else 'denied'}")
        if not want:
            # and trying it is refused before it does anything
            call = "call" if prokind == "p" else "select"
            statement = sql.SQL("{} {}({})").format(sql.SQL(call), sql.SQL(signature.split("(")[0]),
                                                    sql.SQL(", ").join([sql.SQL("null")] * nargs))
            if _attempt(db_conn, role, statement) != "denied":
                wrong.append(f"{kind} could run {signature}")
        if db_conn.execute("select has_function_privilege('public', %s, 'execute')", (signature,)).fetchone()[0]:
            wrong.append(f"PUBLIC execute {signature}")
    assert wrong == []


def test_roles_hold_no_other_power(db_conn, roles):
    for kind in ("app", "readonly"):
        attrs = db_conn.execute("select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin "
                                "from pg_roles where rolname = %s", (roles[kind],)).fetchone()
        assert attrs == (False, False, False, False, False), kind
        assert not db_conn.execute("select pg_has_role(%s, %s, 'member')", (roles[kind], roles["owner"])).fetchone()[0]
        for schema in SCHEMAS:
            assert not db_conn.execute("select has_schema_privilege(%s, %s, 'create')",
                                       (roles[kind], schema)).fetchone()[0], (kind, schema)
    # every table the app role may write is under forced row-level security
    unguarded = db_conn.execute("""
        select c.oid::regclass::text from pg_class c
         where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p')
           and (has_table_privilege(%s, c.oid, 'insert') or has_table_privilege(%s, c.oid, 'update')
                or has_table_privilege(%s, c.oid, 'delete'))
           and not (c.relrowsecurity and c.relforcerowsecurity)
    """, (SCHEMAS, roles["app"], roles["app"], roles["app"])).fetchall()
    assert unguarded == []


def test_a_widened_grant_is_caught_and_secure_objects_takes_it_back(db_conn, roles):
    db_conn.execute(sql.SQL("grant insert, update on knowledge.embedding_models to {}").format(
        sql.Identifier(roles["app"])))
    db_conn.execute(sql.SQL("grant execute on function ops.secure_objects() to {}").format(
        sql.Identifier(roles["readonly"])))
    statement = _statements("knowledge.embedding_models", ["name"])["update"]
    assert _attempt(db_conn, roles["app"], statement) == "allowed"  # the test above would fail now
    changes = db_conn.execute("select object, change from ops.secure_objects()").fetchall()
    assert ("knowledge.embedding_models", "insert revoked") in changes
    assert _attempt(db_conn, roles["app"], statement) == "denied"
    assert not db_conn.execute("select has_function_privilege(%s, 'ops.secure_objects()', 'execute')",
                               (roles["readonly"],)).fetchone()[0]
    assert db_conn.execute("select count(*) from ops.secure_objects()").fetchone()[0] == 0


def test_the_app_role_registers_a_model_through_the_definer_function(db_conn, roles):
    with db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
        model = db_conn.execute("select knowledge.register_embedding_model('app-model', 4)").fetchone()[0]
        assert db_conn.execute("select knowledge.register_embedding_model('app-model', 4)").fetchone()[0] == model
    with db_conn.transaction():  # the idempotent one rag.py calls, too
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
        assert db_conn.execute("select knowledge.ensure_embedding_model('app-model', 4)").fetchone()[0] == model
        assert db_conn.execute("select knowledge.ensure_embedding_model('app-model-2', 4)").fetchone()[0] > model
    with pytest.raises(psycopg.errors.InvalidParameterValue), db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
        db_conn.execute("select knowledge.register_embedding_model('app-model', 8)")
    # its HNSW indexes exist, built as the owner
    assert db_conn.execute("select count(*) from pg_indexes where indexname like %s",
                           (f"%_embedding_m{model}_idx",)).fetchone()[0] > 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege), db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["readonly"])))
        db_conn.execute("select knowledge.register_embedding_model('ro-model', 4)")
