"""`agentdb verify` on the cluster: the Citus checks hold on a distributed copy, and each,
broken on purpose on its own copy, fails naming itself. On one node they are left out."""

from __future__ import annotations

import json

import pytest

from ..helpers import run_cli

CITUS = ["citus_tenant_tables_colocated", "citus_reference_tables_everywhere", "citus_no_shard_left_behind",
         "citus_functions_delegated"]

BREAKS = {
    # a tenant table leaves the tenants' colocation group
    "citus_tenant_tables_colocated":
        "select update_distributed_table_colocation('agents.plans', colocate_with => 'none')",
    # a worker loses its copy of a reference table (the metadata of the copy, as a failed
    # node addition leaves it)
    "citus_reference_tables_everywhere":
        "delete from pg_dist_placement where shardid = (select shardid from pg_dist_shard "
        "where logicalrelid = 'core.tenants'::regclass) and groupid = (select min(groupid) from pg_dist_node "
        "where groupid <> 0)",
    # a shard move's source placement left behind: the shard on a second worker too
    "citus_no_shard_left_behind":
        "insert into pg_dist_placement (shardid, shardstate, shardlength, groupid) "
        "select s.shardid, 1, 0, (select max(n.groupid) from pg_dist_node as n where n.groupid <> p.groupid "
        "and n.groupid <> 0) from pg_dist_shard as s join pg_dist_placement as p on p.shardid = s.shardid "
        "where s.logicalrelid = 'chat.messages'::regclass order by s.shardid limit 1",
    # a tenant API function propagated without its tenant argument (as an older plan left it)
    "citus_functions_delegated":
        "update pg_dist_object set distribution_argument_index = null, colocationid = null, force_delegation = null "
        "where classid = 'pg_proc'::regclass and objid = 'chat.search_messages'::regproc",
}


def _verify(url, *only):
    args = [a for name in only for a in ("--only", name)]
    return run_cli("verify", "--database-url", url, "--format", "json", *args)


def test_the_citus_checks_hold_on_a_distributed_database(db_url):
    result = _verify(db_url, *CITUS)
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)["invariants"]
    assert sorted(f["name"] for f in findings) == sorted(CITUS)
    listed = run_cli("verify", "--list", "--format", "json")
    assert set(CITUS) <= {i["name"] for i in json.loads(listed.stdout)}


@pytest.mark.parametrize("name", CITUS)
def test_each_broken_citus_check_fails_naming_itself(db_conn, db_url, name):
    db_conn.execute(BREAKS[name])
    db_conn.commit()
    result = _verify(db_url, *CITUS)
    assert result.exit_code == 1, result.stdout
    failing = {f["name"] for f in json.loads(result.stdout)["invariants"] if f["rows"]}
    assert failing == {name}


def test_an_undistributed_database_leaves_the_citus_checks_out(make_cluster_database):
    url = make_cluster_database(migrated=True)  # Citus installed, nothing distributed
    result = _verify(url, *CITUS)
    assert result.exit_code == 0 and json.loads(result.stdout)["invariants"] == []


def test_distribute_delegates_a_function_propagated_without_its_tenant(db_conn, db_url):
    """A database distributed by an older plan (functions propagated, none delegated): the
    next `agentdb distribute` delegates the tenant API and nothing else."""
    db_conn.execute(BREAKS["citus_functions_delegated"])
    db_conn.commit()
    dry = run_cli("distribute", "--dry-run", "--database-url", db_url)
    assert dry.exit_code == 0
    assert dry.stdout.count("create_distributed_function") == 1 and "chat.search_messages" in dry.stdout
    assert run_cli("distribute", "--database-url", db_url).exit_code == 0
    assert _verify(db_url, "citus_functions_delegated").exit_code == 0
