"""Login roles for tests that connect as a service would: `logins(kind)` makes a login
role that is a member of agentdb's app, readonly or provisioning role, and returns a
function that opens a transaction as it on the test's database, with the tenant set in
that transaction only. The roles are cluster-wide, so each has a unique name and is
dropped at the end."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import psycopg
import pytest
from psycopg import sql

from .conftest import SERVER_URL, url_for


@pytest.fixture
def logins(db_conn):
    made: list[str] = []
    open_conns: list[psycopg.Connection] = []
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())
    db_conn.commit()

    def make(kind: str):
        name = f"t_{kind}_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("create role {} login in role {}").format(sql.Identifier(name),
                                                                             sql.Identifier(roles[kind])))
        made.append(name)
        conn = psycopg.connect(url_for(db_conn.info.dbname), user=name, autocommit=True)
        open_conns.append(conn)

        @contextmanager
        def transaction(tenant: str | None = None, user=None):
            with conn.transaction():
                if tenant is not None:
                    conn.execute("select ops.set_tenant(%s)", (str(tenant),))
                if user is not None:
                    conn.execute("select ops.set_app_user(%s)", (user,))
                yield conn

        transaction.name = name
        transaction.conn = conn
        return transaction

    yield make
    for conn in open_conns:
        conn.close()
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        for name in made:
            admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))
