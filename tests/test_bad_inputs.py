"""Bad inputs of issue 14: each ends in one `Error:` line, the right exit code (2 bad
input, 1 operation failed) and nothing changed."""

from __future__ import annotations

import shutil

import pytest

from .conftest import ROOT
from .helpers import applied, run_cli


def _one_error_line(result, code: int, *phrases: str) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in result.stderr


@pytest.fixture
def checkout(tmp_path):
    """A private project: pyproject, migrations/ and sql/ copied from this one."""
    for part in ("migrations", "sql"):
        shutil.copytree(ROOT / part, tmp_path / part)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_agentdb_home_that_is_a_regular_file(tmp_path):
    home = tmp_path / "home"
    home.write_text("not a directory")
    result = run_cli("status", "--project-dir", str(ROOT), env={"AGENTDB_HOME": str(home)})
    _one_error_line(result, 2, str(home), "is a file", "AGENTDB_HOME")
    assert home.read_text() == "not a directory"


def test_agentdb_home_that_cannot_be_created(tmp_path):
    parent = tmp_path / "file"
    parent.write_text("x")
    home = parent / "below-a-file"
    result = run_cli("status", "--project-dir", str(ROOT), env={"AGENTDB_HOME": str(home)})
    _one_error_line(result, 2, str(home), "cannot make", "AGENTDB_HOME")
    assert parent.read_text() == "x"


def test_new_with_a_300_character_name(checkout):
    before = sorted(p.name for p in (checkout / "migrations").iterdir())
    result = run_cli("new", "a" * 300, "--project-dir", str(checkout))
    _one_error_line(result, 2, "at most 100 characters")
    assert sorted(p.name for p in (checkout / "migrations").iterdir()) == before


@pytest.mark.parametrize("command", ["migrate", "status"])
def test_a_migration_that_is_not_utf8(checkout, make_database, command):
    url = make_database()
    assert run_cli("migrate", "--database-url", url, "--project-dir", str(checkout)).exit_code == 0
    before = applied(url)
    bad = checkout / "migrations" / "0099_add_bad_byte.sql"
    bad.write_bytes(b"-- A comment with a Latin-1 \xe9 in it.\nselect 1;\n")
    result = run_cli(command, "--database-url", url, "--project-dir", str(checkout))
    _one_error_line(result, 2, "0099_add_bad_byte.sql", "line 1", "0xe9", "UTF-8")
    assert applied(url) == before


def test_migrate_refuses_a_bad_file_before_touching_an_empty_database(checkout, make_database):
    url = make_database()
    (checkout / "migrations" / "0099_add_bad_byte.sql").write_bytes(b"select 1; -- \xff\n")
    result = run_cli("migrate", "--database-url", url, "--project-dir", str(checkout))
    _one_error_line(result, 2, "0099_add_bad_byte.sql", "0xff")
    from .helpers import scalar
    assert scalar(url, "select count(*) from pg_namespace where nspname in ('agentdb_meta', 'core')") == 0


@pytest.mark.parametrize("command", [("queries",), ("query", "bad_byte")])
def test_a_named_query_that_is_not_utf8(checkout, db_url, command):
    (checkout / "sql" / "queries" / "bad_byte.sql").write_bytes(
        b"-- description: A query with a \xff byte.\nselect 1\n")
    connection = ["--database-url", db_url] if command[0] == "query" else []
    result = run_cli(*command, *connection, "--project-dir", str(checkout))
    _one_error_line(result, 2, "bad_byte.sql", "0xff", "UTF-8")


def test_cannot_connect_exits_1_naming_the_server_and_why():
    result = run_cli("status", "--database-url", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
                     "--project-dir", str(ROOT))
    _one_error_line(result, 1, "cannot connect to postgresql://nobody@127.0.0.1:1/none", "refused")
