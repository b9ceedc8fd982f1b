"""`agentdb distribute` on the cluster, and what the distributed schema guarantees."""

from __future__ import annotations

import psycopg
import pytest

from ..helpers import run_cli

TENANT_A = "00000000-0000-7000-8000-00000000aaaa"


def test_every_tenant_table_is_distributed_colocated_and_global_tables_are_reference(db_conn):
    plan = db_conn.execute("select kind, table_name from ops.citus_distribution_plan() "
                           "where kind in ('reference', 'distributed')").fetchall()
    kinds = dict(db_conn.execute(
        "select logicalrelid::regclass::text, case partmethod when 'h' then 'distributed' "
        "when 'n' then 'reference' end from pg_dist_partition").fetchall())
    assert {t: k for k, t in plan} == {t: kinds.get(t) for _, t in plan}
    assert kinds["core.tenants"] == "reference" and kinds["chat.messages"] == "distributed"
    groups = db_conn.execute("select count(distinct colocationid) from pg_dist_partition "
                             "where partmethod = 'h'").fetchone()[0]
    assert groups == 1


def test_a_second_distribute_does_nothing(db_url):
    result = run_cli("distribute", "--database-url", db_url)
    assert result.exit_code == 0
    assert "already distributed" in result.stderr
    dry = run_cli("distribute", "--dry-run", "--database-url", db_url)
    assert dry.exit_code == 0 and dry.stdout == ""


def test_distribute_refuses_a_database_that_is_not_migrated(cluster_nodes, make_cluster_database):
    url = make_cluster_database(migrated=False)
    result = run_cli("distribute", "--database-url", url)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("Error: this database is not migrated")
    assert len(result.stderr.strip().splitlines()) == 1


def test_distribute_refuses_a_server_without_citus(make_database):
    result = run_cli("distribute", "--database-url", make_database())
    assert result.exit_code == 2
    assert "no Citus extension" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_failed_distribute_leaves_every_table_as_it_was(make_cluster_database):
    url = make_cluster_database(migrated=True)
    with psycopg.connect(url, autocommit=True) as conn:
        # a unique index without tenant_id: Citus cannot enforce it on a distributed table (late in the plan)
        conn.execute("create unique index conversations_title_key on chat.conversations (title)")
    result = run_cli("distribute", "--database-url", url)
    assert result.exit_code == 1
    assert "nothing was changed" in result.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("select count(*) from pg_dist_partition").fetchone()[0] == 0
        assert conn.execute("select count(*) from pg_constraint where contype = 'f' and "
                            "conname = 'conversations_tenant_id_fkey'").fetchone()[0] == 1


def test_a_tenant_query_is_routed_to_exactly_one_worker(db_conn):
    db_conn.execute("insert into core.tenants (id, slug, name) values (%s, 'routed', 'Routed')", (TENANT_A,))
    db_conn.commit()
    plan = "\n".join(r[0] for r in db_conn.execute(
        "explain select * from chat.messages where tenant_id = %s order by created_at desc limit 10", (TENANT_A,)))
    assert "Task Count: 1" in plan, plan
    spread = "\n".join(r[0] for r in db_conn.execute("explain select count(*) from chat.messages"))
    assert "Task Count: 8" in spread  # without the tenant: every shard


@pytest.mark.parametrize("role", ["app", "readonly"])
def test_the_transaction_tenant_reaches_the_workers_and_isolates(db_conn, role):
    db_conn.execute("insert into core.tenants (id, slug, name) values (%s, 'alpha', 'Alpha')", (TENANT_A,))
    db_conn.execute("insert into core.users (tenant_id, email) select id, 'a@alpha.test' from core.tenants "
                    "where slug in ('alpha', 'personal')")
    db_conn.commit()
    name = db_conn.execute("select name from ops.roles where kind = %s", (role,)).fetchone()[0]
    db_conn.commit()
    db_conn.autocommit = True  # each block below is a transaction of its own, not a savepoint
    with db_conn.transaction():
        db_conn.execute(f'set local role "{name}"')
        db_conn.execute("select ops.set_tenant('alpha')")
        seen = db_conn.execute("select distinct tenant_id::text from core.users").fetchall()
    assert seen == [(TENANT_A,)]
    with db_conn.transaction():
        db_conn.execute(f'set local role "{name}"')
        assert db_conn.execute("select count(*) from core.users").fetchone()[0] == 0  # no tenant: nothing
