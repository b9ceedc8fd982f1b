"""A pytest plugin for applications built on agentdb: a fresh database with every
migration set applied (agentdb's, then the application's) for every test. Installed
with the package and loaded by pytest automatically (entry point ``pytest11``).

    def test_my_service_appends_a_message(agentdb_database):
        import psycopg
        with psycopg.connect(agentdb_database) as conn:
            conn.execute("select ops.set_tenant('personal')")
            conn.execute("select chat.append_message(ops.current_tenant_id(), 'user', 'hi')")
            assert conn.execute("select count(*) from chat.messages").fetchone()[0] == 1

Fixtures: ``agentdb_server_url`` (session), ``agentdb_template`` (session: a database with
every set migrated, made once and copied per test with ``create database … template``),
``agentdb_database`` (a copy of it per test; its URL).

The server: AGENTDB_TEST_DATABASE_URL (a server where the role may create databases),
else the embedded server under AGENTDB_TEST_HOME, default <project root>/.agentdb/test.
An embedded server the session started is stopped when the session ends; one that was
running before is left running. The project: the nearest pyproject.toml with
[tool.agentdb] from pytest's root directory (or AGENTDB_PROJECT_DIR).
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


def _project(config):
    from .project import find_project

    return find_project(os.environ.get("AGENTDB_PROJECT_DIR"), start=Path(str(config.rootpath)))


@pytest.fixture(scope="session")
def agentdb_server_url(request) -> str:
    from . import db, server

    given = os.environ.get("AGENTDB_TEST_DATABASE_URL")
    if given:
        yield db.libpq_url(given)
        return
    project = _project(request.config)
    root = project.root or Path(str(request.config.rootpath))
    home = Path(os.environ.get("AGENTDB_TEST_HOME") or root / ".agentdb" / "test").resolve()
    version = int(os.environ.get("AGENTDB_TEST_PG_VERSION", "18"))
    was_running = server.status(home, version).running
    yield server.start(home, version).url
    if not was_running:
        server.stop(home, version)


@pytest.fixture(scope="session")
def agentdb_template(request, agentdb_server_url):
    from . import migrator

    name = f"agentdb_template_{uuid.uuid4().hex[:8]}"
    url = _create(agentdb_server_url, name)
    try:
        migrator.migrate(url, _project(request.config), migrator.Settings())
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
