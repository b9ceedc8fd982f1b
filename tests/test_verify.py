"""`agentdb verify`: a clean database passes; each invariant, broken on purpose, fails
naming itself."""

from __future__ import annotations

import json

import pytest

from .conftest import ROOT
from .helpers import run_cli
from .sample import PERSONAL

BREAKS = {
    "tables_have_primary_keys": "create table ops.keyless (x int); comment on table ops.keyless is 'x'; "
                                "comment on column ops.keyless.x is 'x'",
    "foreign_keys_have_indexes": "alter table work.interactions drop constraint interactions_tenant_id_workflow_id_fkey;"
                                 "drop index work.interactions_tenant_id_workflow_id_idx;"
                                 "alter table work.interactions add constraint interactions_tenant_id_workflow_id_fkey "
                                 "foreign key (tenant_id, workflow_id) references work.workflows (tenant_id, id)",
    "updated_at_has_trigger": "drop trigger _100_set_updated_at on agents.plans",
    "objects_have_comments": "comment on column agents.plans.goal is null",
    "no_invalid_indexes": "update pg_index set indisvalid = false where indexrelid = 'agents.plans_tenant_id_agent_id_status_idx'::regclass",
    "embedding_models_have_indexes": "select knowledge.register_embedding_model('m', 3); "
                                     "drop index knowledge.chunks_embedding_m1_idx",
    "partitioned_tables_have_defaults": "alter table work.metrics detach partition work.metrics_default",
    "partitions_ahead_per_policy": "do $$ declare p regclass; begin for p in select inhrelid::regclass "
                                           "from pg_inherits where inhparent = 'work.metrics'::regclass and "
                                           "inhrelid <> 'work.metrics_default'::regclass loop "
                                           "execute format('drop table %s', p); end loop; end $$",
    "security_definer_sets_search_path": "create function ops.risky() returns int language sql security definer "
                                         "return 1; comment on function ops.risky() is 'x'",
    "tenant_keys_include_tenant_id": "create table ops.leaky (tenant_id uuid not null, id uuid primary key); "
                                     "comment on table ops.leaky is 'x'; comment on column ops.leaky.tenant_id is 'x';"
                                     "comment on column ops.leaky.id is 'x'",
    "workflow_counters_match_tasks": f"insert into work.workflows (tenant_id, name, total_tasks) values ('{PERSONAL}', 'w', 3)",
    "durations_match_times": f"insert into work.tasks (tenant_id, task_type) values ('{PERSONAL}', 't');"
                             "alter table work.tasks disable trigger _500_track_status;"
                             "update work.tasks set duration_ms = 5;"
                             "alter table work.tasks enable trigger _500_track_status",
    "one_open_span_per_agent": f"insert into agents.agents (tenant_id, id, name) values ('{PERSONAL}', "
                               "'00000000-0000-7000-8000-00000000000a', 'a');"
                               "drop index chat.context_spans_tenant_id_agent_id_open_key;"
                               f"insert into chat.context_spans (tenant_id, agent_id) values ('{PERSONAL}', "
                               "'00000000-0000-7000-8000-00000000000a'), "
                               f"('{PERSONAL}', '00000000-0000-7000-8000-00000000000a')",
}

WARNINGS = {
    "retention_nothing_overdue": "insert into core.tenants (slug, name, settings) values ('org', 'Org', '{\"aj_retention\": true}');"
                                 "insert into chat.files (tenant_id, kind, name, created_at) "
                                 "select id, 'upload', 'old', now() - interval '40 days' from core.tenants "
                                 "where slug = 'org'",
    "default_partitions_are_empty": f"insert into work.metrics (tenant_id, agent_id, metric_type, value, recorded_at) "
                                    f"select '{PERSONAL}', id, 'x', 1, '2090-01-01' from agents.agents",
    "expired_leases_are_reclaimable": f"insert into work.tasks (tenant_id, task_type, status, claimed_at) "
                                      f"values ('{PERSONAL}', 't', 'running', now())",
    "chunks_are_keyword_indexed": f"insert into knowledge.documents (tenant_id, name) values ('{PERSONAL}', 'd');"
                                  "select set_config('agentdb.defer_keyword_index', 'on', true);"
                                  f"insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                                  f"select tenant_id, id, 0, 'deferred words' from knowledge.documents;"
                                  "update knowledge.bm25_pending set queued_at = now() - interval '2 hours'",
}


def verify(url, *args):
    return run_cli("verify", "--database-url", url, "--format", "json", *args)


def test_a_clean_database_passes(db_url):
    result = verify(db_url)
    assert result.exit_code == 0, result.stdout
    document = json.loads(result.stdout)
    assert document["passed"] and all(not f["rows"] for f in document["invariants"])
    names = {f["name"] for f in document["invariants"]}
    assert set(BREAKS) | set(WARNINGS) <= names


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_broken_invariant_fails_naming_itself(db_conn, db_url, name):
    db_conn.execute(BREAKS[name])
    db_conn.commit()
    result = verify(db_url)
    assert result.exit_code == 1
    failing = {f["name"] for f in json.loads(result.stdout)["invariants"] if f["rows"]}
    assert name in failing
    table = run_cli("verify", "--database-url", db_url, "--only", name)
    assert table.exit_code == 1 and f"{name}: " in table.stdout and "FAIL" in table.stdout


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warnings_show_but_do_not_fail(db_conn, db_url, name):
    db_conn.execute(f"insert into agents.agents (tenant_id, name) values ('{PERSONAL}', 'x')")
    db_conn.execute(WARNINGS[name])
    db_conn.commit()
    result = verify(db_url)
    assert result.exit_code == 0
    failing = {f["name"] for f in json.loads(result.stdout)["invariants"] if f["rows"]}
    assert failing == {name}


def test_partitions_ahead_follow_the_policy(db_conn, db_url):
    db_conn.execute("update ops.partition_policies set premake = 12 where table_name = 'work.metrics'")
    db_conn.commit()
    result = verify(db_url, "--only", "partitions_ahead_per_policy")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["invariants"][0]["rows"]
    assert {r["table"] for r in rows} == {"work.metrics"} and len(rows) >= 8
    assert run_cli("maintain", "--database-url", db_url).exit_code == 0
    assert verify(db_url, "--only", "partitions_ahead_per_policy").exit_code == 0


def test_project_invariants(db_url, project):
    (project.migrations_dir / "0900_create_pending.sql").write_text("create table ops.pending_one (id int);\n")
    (project.sql_dir / "functions" / "ops.tg_set_updated_at.sql").write_text(
        (project.sql_dir / "functions" / "ops.tg_set_updated_at.sql").read_text() + "\n-- edited\n")
    first = project.migrations_dir / "0001_create_schemas.sql"
    first.write_text(first.read_text() + "\n-- edited after it was applied\n")
    (project.queries_dir / "broken.sql").write_text(
        "-- description: uses a column that is not there\n-- param: tenant text = personal  t\n"
        "select no_such_column from core.tenants where slug = :tenant\n")
    result = run_cli("verify", "--database-url", db_url, "--project-dir", str(project.root), "--format", "json")
    assert result.exit_code == 1
    rows = {f["name"]: f["rows"] for f in json.loads(result.stdout)["invariants"] if f["rows"]}
    assert set(rows) == {"migrations_applied", "no_migration_drift", "repeatable_objects_current",
                         "named_queries_prepare"}
    assert rows["named_queries_prepare"][0]["query"] == "broken"
    assert "no_such_column" in rows["named_queries_prepare"][0]["error"]


def test_only_skip_and_unknown_names(db_url):
    result = verify(db_url, "--only", "tables_have_primary_keys", "--only", "no_invalid_indexes")
    assert [f["name"] for f in json.loads(result.stdout)["invariants"]] == ["no_invalid_indexes",
                                                                           "tables_have_primary_keys"]
    skipped = json.loads(verify(db_url, "--skip", "objects_have_comments").stdout)
    assert "objects_have_comments" not in {f["name"] for f in skipped["invariants"]}
    bad = verify(db_url, "--only", "nothing_like_this")
    assert bad.exit_code == 2 and "unknown invariant" in bad.stderr


def test_deep_probes_ann_recall(db_conn, db_url):
    import numpy as np
    from pgvector.psycopg import register_vector

    register_vector(db_conn)
    model = db_conn.execute("select knowledge.register_embedding_model('probe', 8)").fetchone()[0]
    doc = db_conn.execute(f"insert into knowledge.documents (tenant_id, name) values ('{PERSONAL}', 'd') "
                          "returning id").fetchone()[0]
    rng = np.random.default_rng(5)
    for i in range(300):
        db_conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                        "embedding_model_id) values (%s, %s, %s, 'x', %s, %s)",
                        (PERSONAL, doc, i, rng.normal(size=8).astype(np.float32), model))
    db_conn.commit()
    result = verify(db_url, "--deep", "--only", "ann_recall")
    assert result.exit_code == 0, result.stdout
    assert [f["name"] for f in json.loads(result.stdout)["invariants"]] == ["ann_recall"]


def test_the_citus_checks_are_listed_but_run_only_on_a_distributed_cluster(db_url):
    names = {f["name"] for f in json.loads(verify(db_url).stdout)["invariants"]}
    assert not {n for n in names if n.startswith("citus_")}
    listed = {i["name"] for i in json.loads(run_cli("verify", "--list", "--format", "json").stdout)}
    assert {"citus_tenant_tables_colocated", "citus_reference_tables_everywhere", "citus_no_shard_left_behind",
            "citus_functions_delegated"} <= listed
