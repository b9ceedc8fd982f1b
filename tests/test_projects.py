"""Projects and layered migration sets: `agentdb init`, an application's set applied after
agentdb's with its own bookkeeping, the plugin applying both, and one database per
project (found from its root, never from the working directory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from toolkit import server
from toolkit.project import Project, find_project

from .conftest import ROOT, SERVER_URL
from .helpers import run_cli, scalar

NO_TARGET = ("AGENTDB_DATABASE_URL", "DATABASE_URL", "AGENTDB_HOME", "AGENTDB_PROJECT_DIR")


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A project made by `agentdb init demo-app`, the working directory inside it."""
    for var in NO_TARGET:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "demo-app")
    assert result.exit_code == 0, result.stderr
    monkeypatch.chdir(tmp_path / "demo-app")
    return tmp_path / "demo-app"


def test_init_writes_a_project_whose_files_pass_lint(app):
    assert {p.relative_to(app).as_posix() for p in app.rglob("*") if p.is_file()} == {
        "pyproject.toml", "README.md", ".gitignore", "migrations/0001_create_notes.sql",
        "migrations/0001_create_notes.rollback.sql", "sql/functions/demo_app.add_note.sql",
        "sql/queries/demo_app_notes.sql", "tests/test_demo_app.py"}
    assert [s.name for s in find_project().sets()] == ["agentdb", "demo_app"]
    lint = run_cli("lint")
    assert lint.exit_code == 0, lint.stdout + lint.stderr
    again = run_cli("init", "demo-app", "--directory", str(app))
    assert again.exit_code == 2 and "exists already" in again.stderr


def test_both_sets_apply_with_their_own_bookkeeping_and_roll_back_apart(app, make_database):
    url = make_database()
    result = run_cli("migrate", "--database-url", url)
    assert result.exit_code == 0, result.stderr
    assert "applying migration 0001_create_notes (set demo_app)" in result.stderr
    status = json.loads(run_cli("status", "--database-url", url, "--format", "json").stdout)
    assert status["sets"] == ["agentdb", "demo_app"]
    assert {(r["set"], r["state"]) for r in status["objects"] if r["kind"] == "migration"} == {
        ("agentdb", "applied"), ("demo_app", "applied")}
    # both sets have a migration 0001; each is recorded in its own set (and its own yoyo table)
    assert scalar(url, "select count(*) from agentdb_meta.applied_migrations where migration_id like '0001_%'") == 2
    assert scalar(url, "select count(*) from public._yoyo_migration where migration_id = 'demo_app/0001_create_notes'") == 1

    query = run_cli("query", "demo_app_notes", "--database-url", url, "--format", "json")
    assert query.exit_code == 0, query.stderr
    assert json.loads(query.stdout) == []

    undo = run_cli("rollback", "--steps", "1", "--database-url", url)  # the project's own set by default
    assert undo.exit_code == 0, undo.stderr
    assert scalar(url, "select to_regclass('demo_app.notes')") is None
    assert scalar(url, "select to_regclass('core.tenants')") is not None
    assert run_cli("verify", "--database-url", url, "--only", "migrations_applied").exit_code == 1
    assert run_cli("migrate", "--database-url", url).exit_code == 0
    assert run_cli("verify", "--database-url", url, "--only", "migrations_applied",
                   "--only", "repeatable_objects_current").exit_code == 0


def test_the_scaffolded_test_passes_with_the_plugin_and_stops_the_server_it_started(app, tmp_path):
    home = tmp_path / "plugin-home"
    env = {k: v for k, v in os.environ.items() if k not in NO_TARGET and k != "AGENTDB_TEST_DATABASE_URL"}
    env["AGENTDB_TEST_HOME"] = str(home)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=app, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert (home / "pg18").is_dir()  # it did run an embedded server there ...
    assert not server.status(home, 18).running  # ... and stopped it


def test_status_from_a_subfolder_uses_the_project_database_and_outside_refuses(app, tmp_path, monkeypatch):
    started = run_cli("server", "start")
    assert started.exit_code == 0, started.stderr
    try:
        assert run_cli("migrate").exit_code == 0
        at_root = run_cli("status")
        (app / "docs").mkdir()
        monkeypatch.chdir(app / "docs")
        below = run_cli("status")
        assert below.exit_code == 0, below.stderr
        first = [line for line in at_root.stdout.splitlines() if line.startswith("database:")]
        assert first and first == [line for line in below.stdout.splitlines() if line.startswith("database:")]
        assert str(app / ".agentdb" / "pg18") in first[0]
        assert not (app / "docs" / ".agentdb").exists()
        assert " 0 pending" in below.stdout
    finally:
        monkeypatch.chdir(app)
        run_cli("server", "stop")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    for command in (["status"], ["migrate"], ["query", "active_agents"], ["server", "start"]):
        refused = run_cli(*command)
        assert refused.exit_code == 2, (command, refused.stdout, refused.stderr)
        assert refused.stderr.startswith("Error: no agentdb project here") and "agentdb init" in refused.stderr
        assert refused.stderr.count("\n") == 1
    assert list(outside.iterdir()) == []  # no data folder: nothing was started


def test_a_project_dir_that_is_agentdbs_own_checkout_has_one_set():
    assert [s.name for s in Project(ROOT).sets()] == ["agentdb"]
    assert Project(None).sets()[0].root == ROOT
    assert find_project(start=ROOT / "docs").root == ROOT


def test_an_application_function_may_depend_on_agentdbs_objects(app, make_database):
    (app / "sql" / "functions" / "demo_app.note_count.sql").write_text(
        "-- How many notes the transaction's tenant has.\n"
        "-- depends: demo_app.add_note ops.current_tenant_id\n"
        "create or replace function demo_app.note_count()\nreturns bigint\nlanguage sql\nstable\n"
        "security invoker\nset search_path = ''\nbegin atomic\n"
        "    select count(*) from demo_app.notes where tenant_id = ops.current_tenant_id();\nend;\n\n"
        "comment on function demo_app.note_count() is 'How many notes the tenant has';\n")
    url = make_database()
    assert run_cli("migrate", "--database-url", url).exit_code == 0
    with psycopg.connect(url) as conn:
        conn.execute("select ops.set_tenant('personal')")
        conn.execute("select demo_app.add_note('one')")
        assert conn.execute("select demo_app.note_count()").fetchone()[0] == 1


def test_migrate_with_a_server_url_from_the_environment_needs_no_project(tmp_path, monkeypatch, make_database):
    for var in NO_TARGET:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    url = make_database()
    monkeypatch.setenv("AGENTDB_DATABASE_URL", url)
    assert run_cli("migrate").exit_code == 0
    status = run_cli("status")
    assert status.exit_code == 0 and "chosen by:  AGENTDB_DATABASE_URL" in status.stdout
    assert run_cli("query", "active_agents", "--tenant", "personal").exit_code == 0
    assert SERVER_URL  # the suite's server served it; nothing was started here
    assert list(tmp_path.iterdir()) == []
