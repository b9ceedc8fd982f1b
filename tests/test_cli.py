"""What a user of `agentdb` sees: help everywhere, one-line errors, exit codes,
the scaffold, and a README that names every command."""

from __future__ import annotations

import click
import pytest

from toolkit.cli.main import cli
from toolkit.sqlfiles import load_migrations

from .conftest import ROOT
from .helpers import applied, run_cli, scalar


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


ALL_COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("path", [p for p, _ in ALL_COMMANDS], ids=" ".join)
def test_every_command_has_help(path):
    for flag in ("--help", "-h"):
        result = run_cli(*path, flag)
        assert result.exit_code == 0
        assert "Usage: agentdb " + " ".join(path) in result.stdout


def test_every_command_has_a_description_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for path, command in ALL_COMMANDS:
        assert (command.help or "").strip(), f"agentdb {' '.join(path)} has no help text"
        assert f"agentdb {' '.join(path)}" in readme, f"README does not show agentdb {' '.join(path)}"


@pytest.mark.parametrize("args", [["migrate", "--bogus"], ["nonsense"], ["rollback", "--steps", "zero"],
                                  ["migrate", "--lock-timeout", "soon"]])
def test_bad_usage_exits_2_with_one_line(args):
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_rollback_needs_exactly_one_target(db_url):
    result = run_cli("rollback", "--database-url", db_url)
    assert result.exit_code == 2
    assert result.stderr == "Error: say what to roll back: exactly one of --steps N, --to ID, --all\n"


def test_unreachable_database_is_one_line_exit_1():
    result = run_cli("status", "--database-url", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert result.exit_code == 1  # the operation failed; 2 is for bad usage
    assert result.stderr.startswith("Error: cannot connect to postgresql://nobody@127.0.0.1:1/none")
    assert result.stderr.count("\n") == 1


def test_status_json_lists_every_object(db_url):
    import json

    result = run_cli("status", "--database-url", db_url, "--format", "json")
    document = json.loads(result.stdout)
    assert document["pgvector"].startswith("0.")
    states = {o["name"]: o["state"] for o in document["objects"]}
    assert set(states.values()) <= {"applied", "current"}
    assert "ops.tg_set_updated_at" in states


def test_new_writes_the_next_migration_pair(project):
    result = run_cli("new", "add_notes", "--project-dir", str(project.root))
    assert result.exit_code == 0
    number = max(int(p.name[:4]) for p in project.migrations_dir.glob("*.sql") if "add_notes" not in p.name)
    expected = project.migrations_dir / f"{number + 1:04d}_add_notes.sql"
    assert result.stdout.splitlines() == [str(expected), str(expected.with_name(expected.stem + ".rollback.sql"))]
    assert run_cli("new", "Bad Name", "--project-dir", str(project.root)).exit_code == 2


def test_new_table_applies_with_house_conventions(make_database, project):
    url = make_database()
    result = run_cli("new", "create_ops_notes", "--table", "ops.notes", "--project-dir", str(project.root))
    assert result.exit_code == 0, result.stderr
    text = project.migrations_dir.joinpath(result.stdout.splitlines()[0]).read_text()
    assert "default ops.uuidv7()" in text and "_100_set_updated_at" in text
    migrated = run_cli("migrate", "--database-url", url, "--project-dir", str(project.root))
    assert migrated.exit_code == 0, migrated.stderr
    assert scalar(url, "select obj_description('ops.notes'::regclass)") is not None
    assert scalar(url, "select count(*) from pg_trigger where tgrelid = 'ops.notes'::regclass "
                       "and tgname = '_100_set_updated_at'") == 1
    undone = run_cli("rollback", "--steps", "1", "--database-url", url, "--project-dir", str(project.root))
    assert undone.exit_code == 0 and scalar(url, "select to_regclass('ops.notes')") is None
    new_id = result.stdout.splitlines()[0].rsplit("/", 1)[1][: -len(".sql")]
    assert set(applied(url)) == {m.id for m in load_migrations(project.migrations_dir)} - {new_id}


def test_new_tenant_scoped_table_keys_lead_with_tenant(project):
    result = run_cli("new", "create_ops_things", "--table", "ops.things", "--tenant-scoped",
                     "--project-dir", str(project.root))
    assert result.exit_code == 0
    text = (project.migrations_dir / result.stdout.splitlines()[0]).read_text()
    assert "primary key (tenant_id, id)" in text
    assert "foreign key (tenant_id) references core.tenants (id)" in text
    assert run_cli("new", "x", "--tenant-scoped", "--project-dir", str(project.root)).exit_code == 2


def test_committed_docs_match_what_agentdb_docs_writes(db_url):
    result = run_cli("docs", "--check", "--database-url", db_url, "--project-dir", str(ROOT))
    assert result.exit_code == 0, result.stderr


def test_every_command_the_readme_shows_exists():
    import re

    readme = (ROOT / "README.md").read_text()
    known = {" ".join(path) for path, _ in ALL_COMMANDS}
    groups = {" ".join(path) for path, command in ALL_COMMANDS if isinstance(command, click.Group)}
    shown = set()
    for match in re.finditer(r"agentdb ((?:[a-z]+)(?: [a-z][a-z-]*)?)", readme):
        words = match.group(1).split()
        name = " ".join(words[:2]) if words[0] in groups and len(words) > 1 else words[0]
        shown.add(name)
    unknown = {name for name in shown if name not in known} - {"uses"}  # prose: "agentdb uses no …"
    assert not unknown, f"README shows commands that do not exist: {sorted(unknown)}"


def test_citus_plan_covers_every_table_once(db_url, db_conn):
    result = run_cli("citus", "--database-url", db_url)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    tables = {r[0] for r in db_conn.execute(
        "select oid::regclass::text from pg_class where relnamespace::regnamespace::text in "
        "('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops') and relkind in ('r', 'p') "
        "and not relispartition")}
    made = [line.split("'")[1] for line in lines if "create_distributed_table" in line or "create_reference_table" in line]
    assert sorted(made) == sorted(tables)
    first_distributed = next(i for i, line in enumerate(lines) if "create_distributed_table" in line)
    assert all("create_reference_table" not in line for line in lines[first_distributed:])
    assert "select create_reference_table('core.tenants');" in lines
    assert "select create_reference_table('knowledge.embedding_models');" in lines
    messages = [line for line in lines if line.startswith("select create_distributed_table('chat.messages', 'tenant_id'")]
    assert len(messages) == 1 and "colocate_with => " in messages[0]
