"""`agentdb migrate --round-trip`: up, down, up on a scratch database. Every agentdb
migration passes; a rollback that drops a column its migration did not add fails naming
the migration and the column; a migration declared lossless must give its rows back."""

from __future__ import annotations

import json

import psycopg

from toolkit import config, migrator

from .conftest import ROOT
from .helpers import applied, pg_dump_schema, run_cli

NICKNAME = ("alter table core.tenants add column nickname text;\n"
            "comment on column core.tenants.nickname is 'Short name';\n")


def round_trip(url, project_root, *extra):
    return run_cli("migrate", "--round-trip", "--database-url", url, "--project-dir", str(project_root), *extra)


def test_every_agentdb_migration_passes(make_database):
    url = make_database()
    result = round_trip(url, ROOT, "--format", "json")
    assert result.exit_code == 0, result.stdout
    rows = json.loads(result.stdout)
    assert [r["migration"] for r in rows] == [m.name[:-4] for m in sorted((ROOT / "migrations").glob("*.sql"))
                                              if not m.name.endswith(".rollback.sql")]
    assert {r["result"] for r in rows} == {"ok"}
    assert applied(url) == {}  # the target itself is left alone


def test_a_rollback_dropping_a_column_it_did_not_add_fails_naming_it(db_url, project):
    (project.migrations_dir / "0900_add_tenant_nickname.sql").write_text(NICKNAME)
    (project.migrations_dir / "0900_add_tenant_nickname.rollback.sql").write_text(
        "alter table core.tenants drop column nickname;\nalter table core.tenants drop column archived_at;\n")
    before = pg_dump_schema(db_url)
    result = round_trip(db_url, project.root, "--format", "json")
    assert result.exit_code == 1
    failing = [r for r in json.loads(result.stdout) if r["result"] == "FAIL"]
    assert {r["migration"] for r in failing} == {"0900_add_tenant_nickname"}
    assert "column core.tenants.archived_at" in {r["object"] for r in failing}
    table = round_trip(db_url, project.root)
    assert table.exit_code == 1 and "failed: 0900_add_tenant_nickname" in table.stderr
    assert pg_dump_schema(db_url) == before and "0900_add_tenant_nickname" not in applied(db_url)


def test_a_clean_rollback_passes(db_url, project):
    (project.migrations_dir / "0900_add_tenant_nickname.sql").write_text(NICKNAME)
    (project.migrations_dir / "0900_add_tenant_nickname.rollback.sql").write_text(
        "alter table core.tenants drop column nickname;\n")
    result = round_trip(db_url, project.root)
    assert result.exit_code == 0, result.stdout
    assert "0900_add_tenant_nickname  ok" in result.stdout


def test_rows_must_survive_the_down_of_a_lossless_migration(make_database, project):
    url = make_database()
    migrator.migrate(url, config.Project(ROOT), migrator.Settings())
    with psycopg.connect(url) as conn:
        conn.execute("insert into core.tenants (slug, name) values ('acme', 'Acme'), ('globex', 'Globex')")
    (project.migrations_dir / "0900_shout_tenant_names.sql").write_text(
        "-- Upper-case tenant names.\n-- lossless: true\nupdate core.tenants set name = upper(name);\n")
    (project.migrations_dir / "0900_shout_tenant_names.rollback.sql").write_text("select 1;\n")
    result = round_trip(url, project.root, "--copy", "--format", "json")
    assert result.exit_code == 1, result.stdout
    problem = next(r for r in json.loads(result.stdout) if r["result"] == "FAIL")
    assert problem["object"] == "core.tenants" and "lossless" in problem["what"]
    assert problem["expected"] == "3 rows"

    undeclared = project.migrations_dir / "0900_shout_tenant_names.sql"
    undeclared.write_text("update core.tenants set name = upper(name);\n")
    assert round_trip(url, project.root, "--copy").exit_code == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from core.tenants where name = 'Acme'").fetchone()[0] == 1


def test_unknown_migration_and_missing_rollback_are_usage_errors(db_url, project):
    assert round_trip(db_url, project.root, "--migration", "0999").exit_code == 2
    (project.migrations_dir / "0900_no_way_back.sql").write_text("create table ops.one_way (id int primary key);\n")
    result = round_trip(db_url, project.root)
    assert result.exit_code == 2 and "0900_no_way_back.sql has no .rollback.sql" in result.stderr
