"""Compatibility packs on a Citus cluster: not supported yet, and said so. Their views'
INSTEAD OF triggers write with statement shapes Citus refuses (sub-selects in INSERT
VALUES, updates of views over distributed tables: 11 of the packs' 23 tests failed there,
docs/decisions.md), so installing one on a distributed database exits 2 with the reason,
installs nothing, and the single-node suites keep the packs' behaviour."""

from __future__ import annotations

import psycopg

from ..helpers import run_cli


def test_installing_a_pack_on_a_distributed_database_is_refused_with_the_reason(db_url):
    result = run_cli("compat", "install", "tokyo-ia", "--database-url", db_url)
    assert result.exit_code == 2
    assert "not on a Citus cluster yet" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select to_regnamespace('tokyo_ia') is null").fetchone()[0]
