"""The migration runner: up/down/up, drift, repeatable objects, failure atomicity,
concurrency, dry runs, timeouts, rollback. Each test starts from an empty database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from toolkit import migrator
from toolkit.errors import CheckFailed, UsageError
from toolkit.sqlfiles import dependency_order, load_migrations, load_repeatables

from .conftest import ROOT
from .helpers import applied, pg_dump_schema, run_cli, scalar

DOMAIN_SCHEMAS = ("core", "agents", "chat", "memory", "knowledge", "work", "ops")


def migrate_cli(url: str, project, *extra: str):
    return run_cli("migrate", "--database-url", url, "--project-dir", str(project.root), *extra)


def test_up_down_up_gives_an_identical_schema(make_database):
    url = make_database()
    project_args = ("--project-dir", str(ROOT))
    assert run_cli("migrate", "--database-url", url, *project_args).exit_code == 0
    first = pg_dump_schema(url)
    assert "CREATE FUNCTION ops.uuidv7()" in first

    result = run_cli("rollback", "--all", "--database-url", url, *project_args)
    assert result.exit_code == 0, result.stderr
    assert applied(url) == {}
    present = scalar(url, "select count(*) from pg_namespace where nspname = any(%s)", (list(DOMAIN_SCHEMAS),))
    assert present == 0
    assert scalar(url, "select count(*) from pg_extension where extname = 'vector'") == 0

    assert run_cli("migrate", "--database-url", url, *project_args).exit_code == 0
    assert pg_dump_schema(url) == first


def test_every_migration_has_a_rollback_file():
    missing = [m.path.name for m in load_migrations(ROOT / "migrations") if m.rollback_path is None]
    assert missing == []


def test_edited_applied_migration_is_drift_and_blocks_migrate(make_database, project):
    url = make_database()
    assert migrate_cli(url, project).exit_code == 0
    edited = project.migrations_dir / "0001_create_schemas.sql"
    edited.write_text(edited.read_text() + "\ncreate schema sneaky;\n")
    (project.migrations_dir / "0900_create_later.sql").write_text("create table ops.later (id int primary key);\n")

    status = run_cli("status", "--database-url", url, "--project-dir", str(project.root), "--format", "csv")
    assert "migration,0001_create_schemas,changed," in status.stdout
    assert "migration,0900_create_later,pending," in status.stdout

    result = migrate_cli(url, project)
    assert result.exit_code == 1
    assert "0001_create_schemas.sql" in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert scalar(url, "select to_regclass('ops.later')") is None
    assert "0900_create_later" not in applied(url)


def test_applied_migration_whose_file_is_gone_is_reported(make_database, project):
    url = make_database()
    (project.migrations_dir / "0900_create_later.sql").write_text("create table ops.later (id int primary key);\n")
    assert migrate_cli(url, project).exit_code == 0
    (project.migrations_dir / "0900_create_later.sql").unlink()
    status = run_cli("status", "--database-url", url, "--project-dir", str(project.root), "--format", "csv")
    assert "migration,0900_create_later,missing file," in status.stdout
    result = migrate_cli(url, project)
    assert result.exit_code == 1 and "0900_create_later" in result.stderr


def _repeatable_record(url: str, name: str):
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select checksum, applied_at from agentdb_meta.repeatable_objects where name = %s", (name,)
        ).fetchone()


def test_repeatable_function_reapplied_only_when_its_file_changes(make_database, project):
    url = make_database()
    (project.sql_dir / "functions" / "ops.answer.sql").write_text(
        "create or replace function ops.answer() returns integer language sql set search_path = '' return 41;\n"
    )
    assert migrate_cli(url, project).exit_code == 0
    untouched_before = _repeatable_record(url, "ops.tg_set_updated_at")
    answer_before = _repeatable_record(url, "ops.answer")
    assert scalar(url, "select ops.answer()") == 41

    (project.sql_dir / "functions" / "ops.answer.sql").write_text(
        "create or replace function ops.answer() returns integer language sql set search_path = '' return 42;\n"
    )
    status = run_cli("status", "--database-url", url, "--project-dir", str(project.root), "--format", "csv")
    assert "function,ops.answer,changed," in status.stdout
    result = migrate_cli(url, project)
    assert result.exit_code == 0
    assert "applying repeatable ops.answer" in result.stderr
    assert "ops.tg_set_updated_at" not in result.stderr

    assert scalar(url, "select ops.answer()") == 42
    answer_after = _repeatable_record(url, "ops.answer")
    assert answer_after[0] != answer_before[0] and answer_after[1] > answer_before[1]
    assert _repeatable_record(url, "ops.tg_set_updated_at") == untouched_before


def test_function_signature_change_drops_the_old_definition(make_database, project):
    url = make_database()
    path = project.sql_dir / "functions" / "ops.greet.sql"
    path.write_text("create or replace function ops.greet(who text) returns text language sql "
                    "set search_path = '' return 'hi ' || who;\n")
    assert migrate_cli(url, project).exit_code == 0
    # new argument list: create or replace would add an overload and keep the old one
    path.write_text("create or replace function ops.greet(who text, excited boolean) returns text language sql "
                    "set search_path = '' return 'hi ' || who || case when excited then '!' else '' end;\n")
    assert migrate_cli(url, project).exit_code == 0
    assert scalar(url, "select count(*) from pg_proc where proname = 'greet'") == 1
    # new return type: create or replace refuses; the runner drops and re-creates
    path.write_text("create or replace function ops.greet(who text, excited boolean) returns integer "
                    "language sql set search_path = '' return length(who);\n")
    result = migrate_cli(url, project)
    assert result.exit_code == 0, result.stderr
    assert scalar(url, "select ops.greet('abc', true)") == 3


def test_view_losing_a_column_is_recreated(make_database, project):
    url = make_database()
    path = project.sql_dir / "views" / "ops.pair.sql"
    path.write_text("create or replace view ops.pair as select 1 as a, 2 as b;\n")
    assert migrate_cli(url, project).exit_code == 0
    path.write_text("create or replace view ops.pair as select 1 as a;\n")
    result = migrate_cli(url, project)
    assert result.exit_code == 0, result.stderr
    assert scalar(url, "select count(*) from information_schema.columns where table_name = 'pair'") == 1


def test_repeatable_order_follows_declared_dependencies(project):
    functions = project.sql_dir / "functions"
    (functions / "ops.zeta.sql").write_text("create or replace function ops.zeta() returns int language sql return 1;\n")
    (functions / "ops.alpha.sql").write_text(
        "-- depends: ops.zeta\ncreate or replace function ops.alpha() returns int language sql return ops.zeta();\n"
    )
    objects = load_repeatables(project.sql_dir)
    order = dependency_order(objects, set(objects))
    assert order.index("ops.zeta") < order.index("ops.alpha")
    assert order == dependency_order(objects, set(reversed(sorted(objects))))  # deterministic
    (functions / "ops.zeta.sql").write_text("-- depends: ops.alpha\nselect 1;\n")
    with pytest.raises(UsageError, match="cycle"):
        dependency_order(load_repeatables(project.sql_dir), {"ops.alpha"})


def test_failing_migration_leaves_the_database_exactly_as_before(make_database, project):
    url = make_database()
    assert migrate_cli(url, project).exit_code == 0
    (project.migrations_dir / "0900_create_half.sql").write_text(
        "-- Fails half way.\ncreate table ops.half (id int primary key);\ninsert into ops.half values (1);\n"
        "select 1 / 0;\n"
    )
    (project.migrations_dir / "0901_create_after.sql").write_text("create table ops.after (id int);\n")
    (project.sql_dir / "functions" / "ops.answer.sql").write_text(
        "create or replace function ops.answer() returns integer language sql return 42;\n"
    )
    before = pg_dump_schema(url)
    before_applied = applied(url)

    result = migrate_cli(url, project)
    assert result.exit_code == 1
    assert "0900_create_half.sql" in result.stderr
    assert "22012" in result.stderr and "division by zero" in result.stderr
    assert "Traceback" not in result.stderr
    assert pg_dump_schema(url) == before
    assert applied(url) == before_applied


def test_dry_run_changes_nothing(make_database):
    url = make_database()
    before = pg_dump_schema(url)
    result = run_cli("migrate", "--dry-run", "--database-url", url, "--format", "json")
    assert result.exit_code == 0
    import json

    plan = json.loads(result.stdout)
    assert [p["name"] for p in plan if p["kind"] == "migration"] == [m.id for m in load_migrations(ROOT / "migrations")]
    assert pg_dump_schema(url) == before
    assert scalar(url, "select count(*) from pg_namespace where nspname = 'agentdb_meta'") == 0


def test_eight_concurrent_migrators_apply_each_migration_once(make_database):
    url = make_database()
    agentdb = Path(sys.executable).with_name("agentdb")
    env = {**os.environ, "AGENTDB_PROJECT_DIR": str(ROOT)}
    procs = [
        subprocess.Popen([str(agentdb), "migrate", "--database-url", url], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert [code for code, _ in results] == [0] * 8, results
    files = load_migrations(ROOT / "migrations")
    assert set(applied(url)) == {m.id for m in files}
    with psycopg.connect(url) as conn:
        counts = conn.execute(
            "select migration_id, count(*) from public._yoyo_log where operation = 'apply' group by 1"
        ).fetchall()
    assert sorted(counts) == sorted((m.id, 1) for m in files)
    assert sum("applying migration" in err for _, err in results) == 1


def test_lock_timeout_stops_a_migration_blocked_by_a_long_transaction(make_database, project):
    url = make_database()
    assert migrate_cli(url, project).exit_code == 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table ops.busy (id int)")
    (project.migrations_dir / "0900_alter_busy.sql").write_text("alter table ops.busy add column note text;\n")
    before = pg_dump_schema(url)
    with psycopg.connect(url) as blocker:
        blocker.execute("lock table ops.busy in access share mode")  # a long-running reader
        started = time.monotonic()
        result = migrate_cli(url, project, "--lock-timeout", "300ms")
        elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert "0900_alter_busy.sql" in result.stderr and "55P03" in result.stderr
    assert elapsed < 10
    assert pg_dump_schema(url) == before


def test_migration_lock_makes_a_second_runner_wait_then_give_up(make_database, project):
    url = make_database()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True); "
         f"c.execute('select pg_advisory_lock({migrator.LOCK_KEY})'); print('held', flush=True); time.sleep(60)",
         url],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        result = migrate_cli(url, project, "--lock-wait", "0.5")
        assert result.exit_code == 1 and "migration lock" in result.stderr
    finally:
        holder.kill()  # a crashed migrator: the server drops its lock with the session
        holder.wait()
    result = migrate_cli(url, project, "--lock-wait", "10")
    assert result.exit_code == 0, result.stderr


def test_non_transactional_migration_runs_concurrently_built_index(make_database, project):
    url = make_database()
    (project.migrations_dir / "0900_create_items.sql").write_text("create table ops.items (id int, name text);\n")
    (project.migrations_dir / "0901_create_items_name_idx.sql").write_text(
        "-- Index items by name without blocking writers.\n-- transactional: false\n"
        "create index concurrently items_name_idx on ops.items (name);\n"
    )
    result = migrate_cli(url, project)
    assert result.exit_code == 0, result.stderr
    assert scalar(url, "select indisvalid from pg_index where indexrelid = 'ops.items_name_idx'::regclass")

    (project.migrations_dir / "0902_create_two.sql").write_text(
        "-- transactional: false\ncreate index concurrently a_idx on ops.items (id);\n"
        "create index concurrently b_idx on ops.items (id);\n"
    )
    result = migrate_cli(url, project)
    assert result.exit_code == 2 and "exactly one statement" in result.stderr


def test_rollback_steps_and_to(make_database, project):
    url = make_database()
    assert migrate_cli(url, project).exit_code == 0
    ids = sorted(applied(url))
    result = run_cli("rollback", "--steps", "1", "--database-url", url, "--project-dir", str(project.root))
    assert result.exit_code == 0
    assert sorted(applied(url)) == ids[:-1]
    result = run_cli("rollback", "--to", ids[0][:4], "--database-url", url, "--project-dir", str(project.root))
    assert result.exit_code == 0
    assert sorted(applied(url)) == ids[:1]

    result = run_cli("rollback", "--to", "9999_nothing", "--database-url", url, "--project-dir", str(project.root))
    assert result.exit_code == 2
    assert result.stderr == "Error: unknown migration id: 9999_nothing\n"


def test_drift_is_checked_before_anything_runs():
    state = migrator.State(load_migrations(ROOT / "migrations"), {})
    first = state.migrations[0]
    state.applied[first.id] = ("0" * 64, None)
    with pytest.raises(CheckFailed, match=first.path.name):
        migrator.plan(state)


def test_uuidv7_is_version_7_and_time_ordered(db_conn):
    ids = [db_conn.execute("select ops.uuidv7()").fetchone()[0] for _ in range(3)]
    assert all(i.version == 7 for i in ids)
    db_conn.execute("select pg_sleep(0.002)")
    later = db_conn.execute("select ops.uuidv7()").fetchone()[0]
    assert later > ids[0]


def test_updated_at_trigger_function(db_conn):
    db_conn.execute("create table ops.t (id int primary key, v text, updated_at timestamptz not null default now())")
    db_conn.execute("create trigger _100_set_updated_at before update on ops.t "
                    "for each row execute function ops.tg_set_updated_at()")
    db_conn.execute("insert into ops.t values (1, 'a')")
    db_conn.commit()
    first = db_conn.execute("select updated_at from ops.t").fetchone()[0]
    db_conn.execute("update ops.t set v = 'b'")
    db_conn.commit()
    assert db_conn.execute("select updated_at from ops.t").fetchone()[0] > first


def test_repeatable_objects_dropped_by_a_rollback_are_recreated_by_migrate(make_database, project):
    url = make_database()
    assert migrate_cli(url, project).exit_code == 0
    last = "0009_create_knowledge_and_memories"  # its tables are read by SQL-standard function bodies
    assert run_cli("rollback", "--to", "0008", "--database-url", url, "--project-dir", str(project.root)).exit_code == 0
    status = run_cli("status", "--database-url", url, "--project-dir", str(project.root), "--format", "csv")
    assert f"migration,{last},pending," in status.stdout
    missing = [line.split(",")[1] for line in status.stdout.splitlines() if ",missing," in line]
    assert missing, "the rolled-back tables had functions reading them"
    result = migrate_cli(url, project)
    assert result.exit_code == 0
    for name in missing:
        assert f"applying repeatable {name}" in result.stderr
    status = run_cli("status", "--database-url", url, "--project-dir", str(project.root), "--format", "csv")
    assert ",missing," not in status.stdout and ",pending," not in status.stdout


def test_full_rollback_after_a_model_was_registered(make_database):
    url = make_database()
    assert run_cli("migrate", "--database-url", url, "--project-dir", str(ROOT)).exit_code == 0
    with psycopg.connect(url) as conn:
        conn.execute("select knowledge.register_embedding_model('m', 3)")
    result = run_cli("rollback", "--all", "--database-url", url, "--project-dir", str(ROOT))
    assert result.exit_code == 0, result.stderr
    assert applied(url) == {}
    assert run_cli("migrate", "--database-url", url, "--project-dir", str(ROOT)).exit_code == 0


def test_undoing_and_redoing_the_deferred_keyword_index_keeps_every_chunk_searchable(make_database):
    url = make_database()
    assert run_cli("migrate", "--database-url", url, "--project-dir", str(ROOT)).exit_code == 0
    with psycopg.connect(url) as conn:
        tenant = conn.execute("select id from core.tenants where slug = 'personal'").fetchone()[0]
        doc = conn.execute("insert into knowledge.documents (tenant_id, name) values (%s, 'd') returning id",
                           (tenant,)).fetchone()[0]
        conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                     "values (%s, %s, 0, 'indexed at once about foxes')", (tenant, doc))
        conn.execute("select set_config('agentdb.defer_keyword_index', 'on', true)")
        conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                     "values (%s, %s, 1, 'waiting for the index about foxes')", (tenant, doc))
    undo = run_cli("rollback", "--to", "0012", "--database-url", url, "--project-dir", str(ROOT))
    assert undo.exit_code == 0, undo.stderr
    postings = "select count(distinct chunk_id) from knowledge.bm25_postings where term = 'fox'"
    with psycopg.connect(url) as conn:
        assert conn.execute("select to_regclass('knowledge.bm25_pending')").fetchone()[0] is None
        assert conn.execute(postings).fetchone()[0] == 2  # the waiting chunk was indexed before the table went
        # the trigger is the one from before 0013 again, so writes keep the index exact
        conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                     "values (%s, %s, 2, 'a third fox')", (tenant, doc))
        conn.execute("delete from knowledge.chunks where chunk_index = 0")
        assert conn.execute(postings).fetchone()[0] == 2
    assert run_cli("migrate", "--database-url", url, "--project-dir", str(ROOT)).exit_code == 0
    with psycopg.connect(url) as conn:
        assert conn.execute(postings).fetchone()[0] == 2
        conn.execute("select set_config('agentdb.defer_keyword_index', 'on', true)")
        conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                     "values (%s, %s, 3, 'deferred again')", (tenant, doc))
        assert conn.execute("select count(*) from knowledge.bm25_pending").fetchone()[0] == 1
        conn.rollback()
        assert conn.execute("select bool_and(search_text = to_tsvector(text_config, content)) "
                            "from knowledge.chunks").fetchone()[0]
        found = conn.execute("select count(*) from knowledge.search_chunks_keyword(%s, 'foxes')", (tenant,))
        assert found.fetchone()[0] == 2
