"""The embedded server (both majors), and the one rule that picks the database."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from toolkit import config, server
from toolkit.errors import UsageError

from .conftest import ROOT, TEST_HOME
from .helpers import run_cli


@pytest.fixture(scope="module")
def pg16_url():
    state = server.start(TEST_HOME, 16)
    name = "agentdb_pg16_check"
    with psycopg.connect(state.url, autocommit=True) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    yield psycopg.conninfo.make_conninfo(state.url, dbname=name)
    server.stop(TEST_HOME, 16)


def test_migrate_and_status_on_postgresql_16(pg16_url):
    result = run_cli("migrate", "--database-url", pg16_url, "--project-dir", str(ROOT))
    assert result.exit_code == 0, result.stderr
    status = run_cli("status", "--database-url", pg16_url, "--project-dir", str(ROOT))
    assert status.exit_code == 0
    assert "server:     PostgreSQL 16." in status.stdout
    assert " 0 pending, 0 changed, 0 missing file" in status.stdout
    assert "0 pending, 0 changed, 0 missing\n" in status.stdout + "\n"
    with psycopg.connect(pg16_url) as conn:
        body = conn.execute("select prosrc from pg_proc where proname = 'uuidv7' "
                            "and pronamespace = 'ops'::regnamespace").fetchone()
        first, second = (conn.execute("select ops.uuidv7()").fetchone()[0] for _ in range(2))
    assert first.version == 7 and second.version == 7
    assert body is not None


def test_server_commands_report_and_reuse(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTDB_HOME", str(tmp_path / "home"))
    started = run_cli("server", "start")
    assert started.exit_code == 0, started.stderr
    url = started.stdout.strip()
    assert run_cli("server", "url").stdout.strip() == url  # reused, not a second server
    status = run_cli("server", "status", "--format", "json")
    assert status.exit_code == 0 and '"running": true' in status.stdout
    with psycopg.connect(url) as conn:
        assert conn.execute("select 1").fetchone()[0] == 1
    stopped = run_cli("server", "stop")
    assert stopped.exit_code == 0
    status = run_cli("server", "status", "--format", "csv")
    assert status.exit_code == 1 and ",false," in status.stdout  # not Python's False


def test_database_url_precedence(tmp_path, monkeypatch):
    (tmp_path / "migrations").mkdir()
    (tmp_path / "sql").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.agentdb]\ndatabase_url = "postgresql:///from_pyproject"\n')
    project = config.Project(tmp_path)
    for var in ("AGENTDB_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)

    assert config.resolve_database(None, project) == config.DatabaseTarget(
        "postgresql:///from_pyproject", "[tool.agentdb] in pyproject.toml")
    monkeypatch.setenv("DATABASE_URL", "postgresql:///from_database_url")
    assert config.resolve_database(None, project).source == "DATABASE_URL"
    monkeypatch.setenv("AGENTDB_DATABASE_URL", "postgresql:///from_agentdb")
    assert config.resolve_database(None, project).url == "postgresql:///from_agentdb"
    assert config.resolve_database("postgresql:///from_option", project).source == "--database-url"
    for var in ("AGENTDB_DATABASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(var)
    (tmp_path / "pyproject.toml").write_text("[tool.agentdb]\n")
    assert config.resolve_database(None, project) == config.DatabaseTarget(None, config.SOURCE_EMBEDDED)


def test_status_names_the_rule_that_chose_the_database(db_url, monkeypatch):
    monkeypatch.setenv("AGENTDB_DATABASE_URL", db_url)
    result = run_cli("status")
    assert result.exit_code == 0
    assert "chosen by:  AGENTDB_DATABASE_URL" in result.stdout


def test_project_dir_without_migrations_is_bad_input(tmp_path):
    with pytest.raises(UsageError, match="no migrations/"):
        config.find_project(tmp_path)
