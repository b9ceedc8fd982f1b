"""Conformance suites: each seed system's documented flows, played the way its client
would, through the SQL API and the named queries, as the app role with its tenant set
(row-level security on). Tenants themselves are made by the owner, as an operator would."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from psycopg import sql

from toolkit import queries

from ..conftest import ROOT


@pytest.fixture
def owner(db_conn):
    return db_conn


@pytest.fixture
def client(db_conn):
    """client(tenant, role='app', user=None) -> a transaction as that role and tenant."""
    db_conn.commit()
    db_conn.autocommit = True
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())

    @contextmanager
    def session(tenant: str, role: str = "app", user=None):
        with db_conn.transaction():
            db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles[role])))
            db_conn.execute("select ops.set_tenant(%s)", (tenant,))
            if user:
                db_conn.execute("select ops.set_app_user(%s)", (user,))
            yield db_conn

    return session


@pytest.fixture
def named(db_conn):
    """named(name, tenant, **params) -> rows of a named query run as the app role."""
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())

    def run(name: str, tenant: str, **params):
        query = queries.find(ROOT / "sql" / "queries", name)
        db_conn.commit()
        db_conn.autocommit = True
        with db_conn.transaction():
            db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
            _, rows = queries.run(db_conn, query, {k: str(v) for k, v in params.items()}, tenant)
        return rows

    return run


def one(conn, statement, *params):
    return conn.execute(statement, params).fetchone()[0]
