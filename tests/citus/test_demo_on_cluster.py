"""`agentdb demo` on a Citus cluster: refused with the reason, nothing loaded. Loaded there
file by file, it crashed a worker now and then (a segmentation fault in COMMIT PREPARED,
Citus 14.0.1), and the prepared transaction the crash left behind held back every worker's
event outbox (docs/decisions.md)."""

from __future__ import annotations

import psycopg

from ..helpers import run_cli


def test_the_demo_is_refused_on_a_distributed_database_with_the_reason(db_url):
    result = run_cli("demo", "--no-tour", "--database-url", db_url)
    assert result.exit_code == 2
    assert "single node only" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with psycopg.connect(db_url) as conn:
        assert conn.execute("select count(*) from core.tenants where slug = any(%s)",
                            (["tokyo-ia", "cirkelline", "aj-acme", "heartwood"],)).fetchone()[0] == 0
