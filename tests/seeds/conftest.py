"""Conformance suites: each seed system's documented flows, played the way its client
would, through the SQL API and the named queries, as the app role with its tenant set
(row-level security on). Tenants themselves are made by the owner, as an operator would."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import psycopg
import pytest
from pgvector.psycopg import register_vector
from psycopg import sql

from toolkit import queries

from ..conftest import ROOT


@pytest.fixture
def owner(db_conn):
    return db_conn


@pytest.fixture
def client(db_conn, db_url):
    """client(tenant, role='app', user=None) -> a transaction as a login of that role, with the
    tenant set. A real login (not SET ROLE): on Citus a security definer function reaches the
    workers as its owner, and a SET LOCAL ROLE of the session would be replayed there."""
    db_conn.commit()
    db_conn.autocommit = True
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())
    logins: dict[str, psycopg.Connection] = {}

    def login(role: str) -> psycopg.Connection:
        if role not in logins:
            name = f"t_{role}_{uuid.uuid4().hex[:10]}"
            db_conn.execute(sql.SQL("create role {} login in role {}").format(sql.Identifier(name),
                                                                             sql.Identifier(roles[role])))
            logins[role] = psycopg.connect(db_url, user=name, autocommit=True)
            register_vector(logins[role])
        return logins[role]

    @contextmanager
    def session(tenant: str, role: str = "app", user=None):
        conn = login(role)
        with conn.transaction():
            conn.execute("select ops.set_tenant(%s)", (tenant,))
            if user:
                conn.execute("select ops.set_app_user(%s)", (user,))
            yield conn

    yield session
    for conn in logins.values():
        name = conn.info.user
        conn.close()
        db_conn.execute(sql.SQL("drop role {}").format(sql.Identifier(name)))


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
