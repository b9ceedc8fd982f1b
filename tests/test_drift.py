"""`agentdb drift`: each kind of out-of-band change is reported with the object's name;
a clean database reports nothing; what upkeep makes (time partitions ahead, per-model
HNSW indexes) is not drift. Every test works on its own copy of the migrated template."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT
from .helpers import run_cli

FUNCTION_FILE = ROOT / "sql" / "functions" / "core.project_name_from_remote.sql"

CHANGES = {
    "alter table add column": (
        "alter table core.tenants add column sneaky integer",
        ("column core.tenants.sneaky", "object", "absent", "present")),
    "dropped index": (
        "drop index work.workflows_tenant_id_workflow_type_idx",
        ("index work.workflows_tenant_id_workflow_type_idx", "object", "present", "missing")),
    "changed function body": (
        FUNCTION_FILE.read_text().replace("'\\.git$'", "'\\.hg$'").split("\ncomment on")[0],
        ("function core.project_name_from_remote(p_git_remote text, p_username text)", "body", None, None)),
    "widened grant": (
        "grant delete, truncate on ops.audit_log to agentdb_app",
        ("table ops.audit_log", "grants", None, None)),
    "disabled policy": (
        "drop policy agents_hidden on agents.agents",
        ("policy agents.agents.agents_hidden", "object", "present", "missing")),
    "rls flag": (
        "alter table core.users disable row level security",
        ("table core.users", "row level security", "enabled", "disabled")),
    "changed default": (
        "alter table core.tenants alter column kind set default 'personal'",
        ("column core.tenants.kind", "default", "'organization'::text", "'personal'::text")),
    "dropped constraint": (
        "alter table core.tenants drop constraint tenants_kind_check",
        ("constraint core.tenants.tenants_kind_check", "object", "present", "missing")),
    "disabled trigger": (
        "alter table core.tenants disable trigger _100_set_updated_at",
        ("trigger core.tenants._100_set_updated_at", "enabled", "enabled", "disabled")),
    "changed view": (
        "do $$ begin execute 'create or replace view work.agent_statistics as select * from ('"
        " || rtrim(pg_get_viewdef('work.agent_statistics'::regclass), ';') || ') as s where false'; end $$",
        ("view work.agent_statistics", "definition", None, None)),
    "comment": (
        "comment on column core.tenants.slug is 'changed by hand'",
        ("column core.tenants.slug", "comment", None, "changed by hand")),
    "extension": (
        "alter extension vector set schema ops",
        ("extension vector", "schema", "public", "ops")),
    "partition": (
        "alter table work.metrics detach partition work.metrics_default",
        ("partition work.metrics_default", "object", "present", "missing")),
}


def drift(url: str, *extra: str):
    return run_cli("drift", "--database-url", url, "--project-dir", str(ROOT), *extra)


def test_a_clean_database_reports_nothing(db_url):
    result = drift(db_url, "--no-cache")
    assert result.exit_code == 0, result.stdout
    assert "no drift" in result.stderr
    assert json.loads(drift(db_url, "--format", "json").stdout) == []


@pytest.mark.parametrize("kind", sorted(CHANGES))
def test_each_out_of_band_change_is_reported_by_name(db_conn, db_url, kind):
    statement, (name, what, expected, actual) = CHANGES[kind]
    db_conn.execute(statement)
    db_conn.commit()
    result = drift(db_url, "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    match = [r for r in rows if r["object"] == name and r["what"] == what]
    assert match, rows
    if expected is not None:
        assert match[0]["expected"] == expected
    if actual is not None:
        assert match[0]["actual"] == actual
    table = run_cli("drift", "--database-url", db_url, "--project-dir", str(ROOT),
                    env={"COLUMNS": "400"})  # the table fits the terminal's width
    assert table.exit_code == 1 and name in table.stdout and "difference(s)" in table.stderr


def test_a_widened_grant_names_the_privilege(db_conn, db_url):
    db_conn.execute("grant truncate on ops.audit_log to agentdb_app")
    db_conn.commit()
    row = next(r for r in json.loads(drift(db_url, "--format", "json").stdout) if r["object"] == "table ops.audit_log")
    assert "agentdb_app=TRUNCATE" in row["actual"] and "agentdb_app=TRUNCATE" not in row["expected"]


def test_upkeep_and_registered_models_are_not_drift(db_conn, db_url):
    db_conn.execute("select ops.ensure_time_partitions('work.metrics', 'month', 3, 12)")
    db_conn.execute("select knowledge.register_embedding_model('drift-probe', 8)")
    db_conn.execute("insert into core.tenants (slug, name) values ('data-is-not-schema', 'x')")
    db_conn.commit()
    result = drift(db_url)
    assert result.exit_code == 0, result.stdout


def test_verify_runs_drift_as_an_invariant(db_conn, db_url):
    db_conn.execute("alter table core.tenants add column sneaky integer")
    db_conn.commit()
    result = run_cli("verify", "--database-url", db_url, "--only", "no_schema_drift", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["invariants"][0]["rows"]
    assert [r["object"] for r in rows] == ["column core.tenants.sneaky"]


def test_a_database_without_bookkeeping_is_refused(make_database):
    result = drift(make_database())
    assert result.exit_code == 1 and "agentdb baseline" in result.stderr


def test_files_that_need_a_pending_migration_say_to_migrate_first(db_url, project):
    (project.migrations_dir / "0900_create_fresh.sql").write_text("create table ops.fresh (id int primary key);\n")
    (project.sql_dir / "functions" / "core.project_name_from_remote.sql").write_text(
        "create or replace function core.project_name_from_remote(p_git_remote text, p_username text default null)\n"
        "returns text language sql stable set search_path = ''\n"
        "begin atomic select p_git_remote || (select count(*) from ops.fresh)::text; end;\n")
    result = run_cli("drift", "--database-url", db_url, "--project-dir", str(project.root), "--no-cache")
    assert result.exit_code == 1 and "run agentdb migrate first" in result.stderr
    verify = run_cli("verify", "--database-url", db_url, "--project-dir", str(project.root),
                     "--only", "no_schema_drift", "--format", "json")
    assert verify.exit_code == 1
    assert json.loads(verify.stdout)["invariants"][0]["rows"][0]["what"] == "not compared"


def test_role_names_come_from_the_target(make_database):
    """A database migrated with its own role names ([tool.agentdb] owner_role ... or
    Settings.roles) is replayed with the same names: no grant or owner differs."""
    import uuid

    import psycopg
    from psycopg import sql

    from toolkit import config, migrator

    from .conftest import SERVER_URL

    url = make_database()
    suffix = uuid.uuid4().hex[:8]
    names = {"owner": f"own_{suffix}", "app": f"app_{suffix}", "readonly": f"ro_{suffix}",
             "provisioning": f"prov_{suffix}"}
    try:
        migrator.migrate(url, config.Project(ROOT), migrator.Settings(roles=names))
        result = drift(url, "--no-cache", "--format", "json")
        assert result.exit_code == 0, result.stdout[:2000]
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(
                sql.Identifier(psycopg.conninfo.conninfo_to_dict(url)["dbname"])))
            for role in names.values():
                admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(role)))
