"""A pytest plugin for applications built on agentdb: a fresh, fully migrated agentdb
database for every test, on the embedded server (or the server AGENTDB_TEST_DATABASE_URL
names), the way agentdb's own suite does it. Installed with the package and loaded by
pytest automatically (entry point ``pytest11``).

    def test_my_service_appends_a_message(agentdb_database):
        import psycopg
        with psycopg.connect(agentdb_database) as conn:
            conn.execute("select ops.set_tenant('personal')")
            conn.execute("select chat.append_message(ops.current_tenant_id(), 'user', 'hi')")
            assert conn.execute("select count(*) from chat.messages").fetchone()[0] == 1

Fixtures: ``agentdb_server_url`` (session), ``agentdb_template`` (session: a database with
every migration applied, made once), ``agentdb_database`` (a copy of it per test; its URL).
Settings: AGENTDB_TEST_DATABASE_URL (a server where the role may create databases),
AGENTDB_TEST_HOME (embedded server data, default ./.agentdb/test), AGENTDB_PROJECT_DIR.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql


def _create(server_url: str, name: str, template: str | None = None) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        statement = sql.SQL("create database {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" template {}").format(sql.Identifier(template))
        conn.execute(statement)
    return psycopg.conninfo.make_conninfo(server_url, dbname=name)


def _drop(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def agentdb_server_url() -> str:
    from . import db, server

    given = os.environ.get("AGENTDB_TEST_DATABASE_URL")
    if given:
        return db.libpq_url(given)
    home = Path(os.environ.get("AGENTDB_TEST_HOME") or Path.cwd() / ".agentdb" / "test")
    return server.start(home.resolve(), int(os.environ.get("AGENTDB_TEST_PG_VERSION", "18"))).url


@pytest.fixture(scope="session")
def agentdb_template(agentdb_server_url):
    from . import config, migrator

    name = f"agentdb_template_{uuid.uuid4().hex[:8]}"
    url = _create(agentdb_server_url, name)
    try:
        migrator.migrate(url, config.find_project(os.environ.get("AGENTDB_PROJECT_DIR")), migrator.Settings())
        with psycopg.connect(agentdb_server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("alter database {} is_template true").format(sql.Identifier(name)))
        yield name
    finally:
        with psycopg.connect(agentdb_server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("alter database {} is_template false").format(sql.Identifier(name)))
        _drop(agentdb_server_url, name)


@pytest.fixture
def agentdb_database(agentdb_server_url, agentdb_template):
    name = f"agentdb_test_{uuid.uuid4().hex[:12]}"
    url = _create(agentdb_server_url, name, agentdb_template)
    try:
        yield url
    finally:
        _drop(agentdb_server_url, name)
