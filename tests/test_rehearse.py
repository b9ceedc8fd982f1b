"""`agentdb migrate --rehearse` on a migrated database holding a 1M-row table: a
volatile-default column is flagged (lock mode, table, duration), the concurrent-index
variant is not, and the target is unchanged afterwards (pg_dump identical)."""

from __future__ import annotations

import json
import shutil

import psycopg
import pytest

from toolkit import config, migrator

from .conftest import ROOT
from .helpers import applied, pg_dump_schema, run_cli

VOLATILE = "alter table public.rehearsal_big add column token double precision default random();\n"
CONCURRENT = ("-- transactional: false\n"
              "create index concurrently rehearsal_big_n_idx on public.rehearsal_big (n);\n")
CONTENT = "select count(*), sum(hashtext(b::text)) from public.rehearsal_big as b"


@pytest.fixture(scope="module")
def big_url():
    """A migrated database with a 1M-row table, made once for this module."""
    from .conftest import SERVER_URL, url_for

    name = "agentdb_rehearse_big"
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")
        conn.execute(f"create database {name}")
    url = url_for(name)
    migrator.migrate(url, config.Project(ROOT), migrator.Settings())
    with psycopg.connect(url) as conn:
        conn.execute("create table public.rehearsal_big (id bigint primary key, n integer not null, note text)")
        conn.execute("insert into public.rehearsal_big select g, g % 1000, 'row ' || g "
                     "from generate_series(1, 1000000) as g")
        conn.execute("analyze public.rehearsal_big")
    yield url
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"drop database if exists {name} with (force)")


def _project(tmp_path, name: str, text: str) -> config.Project:
    for part in ("migrations", "sql"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "agentdb"\n\n[tool.agentdb]\n')  # agentdb's own set
    (tmp_path / "migrations" / name).write_text(text)
    return config.Project(tmp_path)


def rehearse(url, project, *extra):
    return run_cli("migrate", "--rehearse", "--database-url", url, "--project-dir", str(project.root), *extra)


def _content(url):
    with psycopg.connect(url) as conn:
        return conn.execute(CONTENT).fetchone()


def test_a_volatile_default_on_a_big_table_is_flagged_and_nothing_changes(big_url, tmp_path):
    project = _project(tmp_path, "0900_add_token.sql", VOLATILE)
    schema_before, content_before, applied_before = pg_dump_schema(big_url), _content(big_url), applied(big_url)

    result = rehearse(big_url, project, "--format", "json")
    assert result.exit_code == 1, result.stdout
    report = json.loads(result.stdout)
    statement = next(s for s in report["statements"] if s["step"] == "0900_add_token")
    lock = next(lk for lk in statement["locks"] if lk["relation"] == "public.rehearsal_big")
    assert lock["mode"] == "ACCESS EXCLUSIVE" and lock["size_bytes"] > 10 * 1024 ** 2
    assert statement["ms"] > 0 and lock["held_ms"] >= statement["ms"]
    assert statement["flags"] and "ACCESS EXCLUSIVE on public.rehearsal_big" in statement["flags"][0]
    assert "backfill" in statement["advice"]

    table = rehearse(big_url, project)
    assert table.exit_code == 1
    assert "flagged: 0900_add_token statement 1: ACCESS EXCLUSIVE on public.rehearsal_big" in table.stdout
    assert "safer: add the column without a default" in table.stdout

    assert pg_dump_schema(big_url) == schema_before
    assert _content(big_url) == content_before and applied(big_url) == applied_before


def test_thresholds_decide_what_is_flagged(big_url, tmp_path):
    project = _project(tmp_path, "0900_add_token.sql", VOLATILE)
    relaxed = rehearse(big_url, project, "--flag-size", "10GB", "--flag-held", "10min")
    assert relaxed.exit_code == 0, relaxed.stdout
    assert "nothing flagged" in relaxed.stderr
    bad = rehearse(big_url, project, "--flag-size", "lots")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error:")


def test_the_concurrent_index_variant_is_not_flagged(big_url, tmp_path):
    project = _project(tmp_path, "0900_index_n.sql", CONCURRENT)
    before = pg_dump_schema(big_url)
    result = rehearse(big_url, project, "--format", "json")
    assert result.exit_code == 0, result.stdout
    statement = next(s for s in json.loads(result.stdout)["statements"] if s["step"] == "0900_index_n")
    assert statement["flags"] == [] and statement["rehearsed"] is False
    assert pg_dump_schema(big_url) == before


def test_on_a_copy_the_concurrent_index_runs_and_is_measured_not_flagged(big_url, tmp_path):
    project = _project(tmp_path, "0900_index_n.sql", CONCURRENT)
    before = pg_dump_schema(big_url)
    result = rehearse(big_url, project, "--copy", "--format", "json")
    assert result.exit_code == 0, result.stdout
    statement = next(s for s in json.loads(result.stdout)["statements"] if s["step"] == "0900_index_n")
    assert statement["rehearsed"] is True and statement["flags"] == [] and statement["ms"] > 0
    lock = next(lk for lk in statement["locks"] if lk["relation"] == "public.rehearsal_big")
    assert lock["mode"] == "SHARE UPDATE EXCLUSIVE" and lock["held_ms"] > 0
    assert pg_dump_schema(big_url) == before  # the copy is gone, the target untouched


def test_on_a_copy_the_volatile_default_is_flagged_too(big_url, tmp_path):
    project = _project(tmp_path, "0900_add_token.sql", VOLATILE)
    result = rehearse(big_url, project, "--copy")
    assert result.exit_code == 1
    assert "ACCESS EXCLUSIVE on public.rehearsal_big" in result.stdout


def test_a_plain_index_is_flagged_with_the_concurrent_pattern(big_url, tmp_path):
    project = _project(tmp_path, "0900_index_n.sql", "create index rehearsal_big_n_idx on public.rehearsal_big (n);\n")
    result = rehearse(big_url, project, "--format", "json")
    assert result.exit_code == 1
    statement = next(s for s in json.loads(result.stdout)["statements"] if s["step"] == "0900_index_n")
    assert statement["flags"][0].startswith("SHARE on public.rehearsal_big")
    assert "create index concurrently" in statement["advice"]


def test_nothing_pending_rehearses_nothing(big_url):
    result = run_cli("migrate", "--rehearse", "--database-url", big_url, "--project-dir", str(ROOT))
    assert result.exit_code == 0 and "rehearsed 0 statement(s)" in result.stderr
