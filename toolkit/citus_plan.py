"""The Citus distribution plan of this schema, as the catalog gives it (ops.citus_distribution_plan)."""

from __future__ import annotations

import psycopg


def statements(conn: psycopg.Connection) -> list[str]:
    return [statement for (statement,) in conn.execute("select statement from ops.citus_distribution_plan()")]
