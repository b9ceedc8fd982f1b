"""A hostile application login: a LOGIN role that is a member of the app role (and one of
the read-only role) replays the attacks of issue 14 on a freshly migrated database, and
each one is refused: an error, or no row at all with the write refused."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import sql

from toolkit import migrator
from toolkit.errors import CheckFailed

from .conftest import SERVER_URL
from .tenant_data import fill

NIL = "00000000-0000-0000-0000-000000000000"


def _roles(conn) -> dict[str, str]:
    return dict(conn.execute("select kind, name from ops.roles").fetchall())


@pytest.fixture
def logins(db_conn, db_url):
    """Two LOGIN roles of the cluster, one in the app role and one in the read-only role;
    yields a connect(kind) that opens an autocommit connection as one of them."""
    names = _roles(db_conn)
    suffix = uuid.uuid4().hex[:8]
    made = {"app": f"hostile_app_{suffix}", "readonly": f"hostile_ro_{suffix}"}
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        for kind, login in made.items():
            admin.execute(sql.SQL("create role {} login in role {}").format(
                sql.Identifier(login), sql.Identifier(names[kind])))
    opened = []

    def connect(kind: str) -> psycopg.Connection:
        conn = psycopg.connect(psycopg.conninfo.make_conninfo(db_url, user=made[kind]), autocommit=True)
        opened.append(conn)
        return conn

    connect.names = made
    yield connect
    for conn in opened:
        conn.close()
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        for login in made.values():
            admin.execute(sql.SQL("drop owned by {} cascade").format(sql.Identifier(login))) \
                if admin.execute("select 1 from pg_roles where rolname = %s", (login,)).fetchone() else None
            admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(login)))


@pytest.fixture
def tenants(db_conn):
    a = fill(db_conn, "alpha")
    b = fill(db_conn, "beta", grantee=a)
    public = db_conn.execute("insert into agents.agents (tenant_id, name, visibility) values (%s, 'public-b', 'public') "
                             "returning id", (b,)).fetchone()[0]
    db_conn.execute("select ops.set_tenant(%s)", (str(b),))
    db_conn.execute("select agents.share_agent(%s)", (public,))  # published: in the catalog of every organization
    # a change to a global table leaves an audit row under the nil tenant
    db_conn.execute("update ops.retention_policies set description = description || '.' where id = 1")
    db_conn.commit()
    return a, b


def _owners(conn) -> set[str]:
    return {r[0] for r in conn.execute("""
        select distinct relowner::regrole::text from pg_class
         where relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
        union select distinct nspowner::regrole::text from pg_namespace
         where nspname in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
        union select distinct proowner::regrole::text from pg_proc
         where pronamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
    """)}


@pytest.mark.parametrize("table", ["ops.roles", "knowledge.embedding_models", "ops.retention_policies",
                                   "ops.partition_policies", "core.tenants"])
def test_the_app_login_cannot_write_a_global_table(logins, tenants, table):
    hostile = logins("app")
    hostile.execute("begin")
    hostile.execute("select ops.set_tenant('alpha')")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
        hostile.execute(sql.SQL("update {} set {} = {}").format(
            sql.SQL(table), *[sql.Identifier(_first_column(hostile, table))] * 2))
    hostile.execute("rollback")


def _first_column(conn, table: str) -> str:
    return conn.execute("select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 "
                        "and attidentity = '' and attgenerated = '' order by attnum limit 1", (table,)).fetchone()[0]


def test_escalation_to_owner_through_ops_roles_is_refused(db_conn, db_url, logins, tenants, project):
    hostile = logins("app")
    me = logins.names["app"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for table roles"):
        hostile.execute("update ops.roles set name = %s where kind = 'owner'", (me,))
    # even if the row were changed (by anyone who could), a migrate run that applies a
    # step must not hand a single object to the role the row names
    db_conn.execute("update ops.roles set name = %s where kind = 'owner'", (me,))
    db_conn.commit()
    (project.migrations_dir / "0099_touch.sql").write_text("-- A step for the run to apply.\nselect 1;\n")
    with pytest.raises(CheckFailed, match="owner"):
        migrator.migrate(db_url, project, migrator.Settings())
    assert me not in _owners(db_conn)
    db_conn.rollback()
    # and the login cannot lift row-level security from any table
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
        hostile.execute("alter table chat.messages no force row level security")


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_a_session_level_tenant_counts_in_no_later_transaction(logins, tenants, kind):
    _, beta = tenants
    hostile = logins(kind)
    for setter in ("set agentdb.tenant_id = '{b}'", "select set_config('agentdb.tenant_id', '{b}', false)"):
        hostile.execute(setter.format(b=beta))
        assert hostile.execute("select ops.current_tenant_id()").fetchone()[0] is None
        assert hostile.execute("select count(*) from agents.agents").fetchone()[0] == 0
        assert hostile.execute("select count(*) from chat.messages").fetchone()[0] == 0
        if kind == "app":
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="no tenant is set"):
                hostile.execute("insert into agents.agents (tenant_id, name) values (%s, 'x')", (beta,))
            assert hostile.execute("update agents.agents set name = 'x'").rowcount == 0
        hostile.execute("reset agentdb.tenant_id")
    # a value copied from a transaction that did set it, kept at session level, expires with it
    hostile.execute("begin")
    hostile.execute("select ops.set_tenant('beta')")
    hostile.execute("select set_config('agentdb.tenant_id', current_setting('agentdb.tenant_id'), false)")
    assert hostile.execute("select count(*) from agents.agents").fetchone()[0] > 0
    hostile.execute("commit")
    assert hostile.execute("select ops.current_tenant_id()").fetchone()[0] is None
    assert hostile.execute("select count(*) from agents.agents").fetchone()[0] == 0


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_the_nil_tenant_id_is_not_a_tenant(db_conn, logins, tenants, kind):
    global_rows = db_conn.execute("select count(*) from ops.audit_log where tenant_id = %s", (NIL,)).fetchone()[0]
    assert global_rows > 0  # there is something to steal
    db_conn.rollback()
    hostile = logins(kind)
    with pytest.raises(psycopg.errors.NoDataFound, match="no tenant"):
        hostile.execute("select ops.set_tenant(%s)", (NIL,))
    forged = [f"'{NIL}'", f"'{NIL}' || substr(current_setting('agentdb.tenant_id'), 37)"]
    for value in forged:
        hostile.execute("begin")
        hostile.execute("select ops.set_tenant('alpha')")  # a valid setting to copy the identity from
        hostile.execute(f"select set_config('agentdb.tenant_id', {value}, true)")
        assert hostile.execute("select ops.current_tenant_id()").fetchone()[0] is None
        assert hostile.execute("select count(*) from ops.audit_log").fetchone()[0] == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            hostile.execute("insert into ops.audit_log (tenant_id, table_name, operation) "
                            "values (%s, 'ops.retention_policies', 'delete')", (NIL,))
        hostile.execute("rollback")


@pytest.mark.parametrize("kind", ["app", "readonly"])
def test_no_tenant_no_public_agent(db_conn, logins, tenants, kind):
    public = db_conn.execute("select count(*) from agents.agents where visibility = 'public'").fetchone()[0]
    assert public > 0
    db_conn.rollback()
    hostile = logins(kind)
    assert hostile.execute("select count(*) from agents.agents").fetchone()[0] == 0
    assert hostile.execute("select count(*) from agents.agents where visibility = 'public'").fetchone()[0] == 0
    assert hostile.execute("select count(*) from agents.shared_agents").fetchone()[0] == 0
    # with a tenant, the public agents of others are offered in the catalog (docs/decisions.md, "Shared agents")
    hostile.execute("begin")
    hostile.execute("select ops.set_tenant('alpha')")
    assert hostile.execute("select count(*) from agents.shared_agents where name = 'public-b'").fetchone()[0] == 1
    hostile.execute("rollback")


def test_a_tenant_that_lists_its_logins_refuses_other_logins(db_conn, logins, tenants):
    me = logins.names["app"]
    db_conn.execute("update core.tenants set settings = settings || jsonb_build_object('logins', jsonb_build_array(%s)) "
                    "where slug = 'alpha'", ("someone_else",))
    db_conn.commit()
    hostile = logins("app")
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=f'login "{me}" may not act for tenant'):
        hostile.execute("select ops.set_tenant('alpha')")
    hostile.execute("select ops.set_tenant('beta')")  # a tenant without the list: as before
    db_conn.execute("update core.tenants set settings = settings || jsonb_build_object('logins', jsonb_build_array(%s)) "
                    "where slug = 'alpha'", (me,))
    db_conn.commit()
    assert hostile.execute("select ops.set_tenant('alpha')").fetchone()[0] == tenants[0]
