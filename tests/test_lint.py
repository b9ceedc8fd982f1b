"""`agentdb lint`: each safety rule with a failing and a passing example, waivers,
sqlfluff's house style, and the repository itself linting clean."""

from __future__ import annotations

import pytest

from toolkit import config, lint

from .conftest import ROOT
from .helpers import run_cli

EXISTING = "create table ops.things (id int primary key, name text);\n"

CASES = [
    ("S001", "create index things_name_idx on ops.things (name);",
     "-- transactional: false\ncreate index concurrently things_name_idx on ops.things (name);"),
    ("S002", "alter table ops.things add column size int not null;",
     "alter table ops.things add column size int not null default 0;"),
    ("S003", "alter table ops.things add constraint things_name_check check (name <> '');",
     "alter table ops.things add constraint things_name_check check (name <> '') not valid;"),
    ("S003", "alter table ops.things add constraint things_id_fkey foreign key (id) references ops.other (id);",
     "alter table ops.things add constraint things_id_fkey foreign key (id) references ops.other (id) not valid;"),
    ("S004", "alter table ops.things alter column name type varchar(10);",
     "alter table ops.things add column label varchar(10);"),
    ("S005", "create index concurrently things_name_idx on ops.things (name);",
     "-- transactional: false\ncreate index concurrently things_name_idx on ops.things (name);"),
]


def _project(tmp_path, body: str) -> config.Project:
    (tmp_path / "migrations").mkdir(parents=True)
    (tmp_path / "sql").mkdir()
    (tmp_path / "migrations" / "0001_create_things.sql").write_text("-- Things.\n" + EXISTING)
    (tmp_path / "migrations" / "0002_change_things.sql").write_text(f"-- Change things.\n{body}\n")
    return config.Project(tmp_path)


def _rules(project) -> list[str]:
    return [f.rule for f in lint.lint(project)]


@pytest.mark.parametrize("rule, failing, passing", CASES)
def test_safety_rule_fails_and_passes(tmp_path, rule, failing, passing):
    assert rule in _rules(_project(tmp_path / "bad", failing))
    assert _rules(_project(tmp_path / "good", passing)) == []


def test_tables_created_in_the_same_migration_are_exempt(tmp_path):
    body = ("create table ops.fresh (id int primary key, n int);\n"
            "create index fresh_n_idx on ops.fresh (n);\n"
            "alter table ops.fresh add column m int not null;\n"
            "alter table ops.fresh add constraint fresh_n_check check (n > 0);")
    assert _rules(_project(tmp_path, body)) == []


def test_a_waiver_needs_a_reason_and_covers_one_statement(tmp_path):
    waived = ("-- lint: allow S001 the table is empty in every deployment\n"
              "create index things_name_idx on ops.things (name);\n"
              "create index things_id_idx on ops.things (id);")
    findings = lint.lint(_project(tmp_path / "w", waived))
    assert [(f.rule, f.line) for f in findings] == [("S001", 4)]
    no_reason = "-- lint: allow S001\ncreate index things_name_idx on ops.things (name);"
    assert _rules(_project(tmp_path / "r", no_reason)) == ["S001"]


def test_sqlfluff_house_style(tmp_path):
    project = _project(tmp_path / "style", "SELECT 1 AS One;")
    assert {"CP01"} <= set(_rules(project))
    project = _project(tmp_path / "ok", "select 1 as one;")
    assert _rules(project) == []


def test_named_query_placeholders_are_understood(tmp_path):
    project = _project(tmp_path, "select 1;")
    (project.sql_dir / "queries").mkdir()
    (project.sql_dir / "queries" / "q.sql").write_text(
        "-- description: x\n-- param: limit integer = 5  n\nselect t.id from ops.things as t limit :limit\n")
    assert _rules(project) == []


def test_the_repository_lints_clean_and_the_command_reports(tmp_path):
    result = run_cli("lint", "--project-dir", str(ROOT))
    assert result.exit_code == 0, result.stdout
    bad = _project(tmp_path, "create index things_name_idx on ops.things (name);")
    result = run_cli("lint", "--project-dir", str(bad.root), "--format", "csv")
    assert result.exit_code == 1
    assert "migrations/0002_change_things.sql,2,S001," in result.stdout
