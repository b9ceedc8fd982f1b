"""What scripts and people see: JSON types (numbers, ISO 8601 times, null, booleans), a
table fitted to 80 columns, and the shared options before or after the subcommand."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from .helpers import run_cli


@pytest.fixture
def demo_url(db_url):
    loaded = run_cli("demo", "--no-tour", "--database-url", db_url)
    assert loaded.exit_code == 0, loaded.stderr
    again = run_cli("demo", "--no-tour", "--database-url", db_url)
    assert "already loaded" in again.stderr  # loads once
    return db_url


def test_json_numbers_are_numbers_times_iso_and_nulls_null(demo_url):
    result = run_cli("query", "agent_statistics", "-p", "agent=akira-001", "-p", "since=2000-01-01",
                     "--tenant", "tokyo-ia", "--database-url", demo_url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert isinstance(row["success_rate"], (int, float)) and not isinstance(row["success_rate"], bool)
    assert row["success_rate"] == 90  # 36 of the demo's 40 tasks completed
    assert isinstance(row["total_cost_usd"], float) and isinstance(row["average_latency_ms"], (int, float))
    numbers = [k for k, v in row.items() if isinstance(v, str) and v.replace(".", "", 1).isdigit()]
    assert numbers == [], f"numbers as strings: {numbers}"

    tasks = json.loads(run_cli("query", "failed_tasks", "-p", "since=2000-01-01", "--tenant", "tokyo-ia",
                               "--database-url", demo_url, "--format", "json").stdout)
    assert len(tasks) == 4
    for task in tasks:
        assert "T" in task["failed_at"] and datetime.fromisoformat(task["failed_at"])  # ISO 8601
    rows = json.loads(run_cli("query", "active_agents", "--tenant", "heartwood", "--database-url", demo_url,
                              "--format", "json").stdout)
    assert rows and any(v is None for r in rows for v in r.values())  # nulls are null, not "None" or ""


def test_server_status_booleans_are_true_and_false(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENTDB_HOME", str(tmp_path))
    result = run_cli("server", "status", "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)[0]["running"] is False
    table = run_cli("server", "status")
    assert "False" not in table.stdout and "false" in table.stdout


def test_a_table_fits_80_columns_with_the_full_text_in_csv(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = run_cli("queries")
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.endswith("…") or "… " in line for line in lines)  # long text cut with an ellipsis
    full = run_cli("queries", "--format", "csv").stdout
    assert max(len(line) for line in full.splitlines()) > 80  # csv keeps every character


def test_options_go_before_or_after_the_subcommand_and_come_from_the_environment(demo_url):
    after = run_cli("query", "active_agents", "--tenant", "tokyo-ia", "--database-url", demo_url, "--format", "csv")
    before = run_cli("--tenant", "tokyo-ia", "--database-url", demo_url, "query", "active_agents", "--format", "csv")
    from_env = run_cli("query", "active_agents", "--format", "csv",
                       env={"AGENTDB_TENANT": "tokyo-ia", "AGENTDB_DATABASE_URL": demo_url})
    assert after.exit_code == before.exit_code == from_env.exit_code == 0, before.stderr
    assert after.stdout == before.stdout == from_env.stdout and "akira-001" in after.stdout
    later_wins = run_cli("--tenant", "heartwood", "query", "active_agents", "--tenant", "tokyo-ia",
                         "--database-url", demo_url, "--format", "csv")
    assert later_wins.stdout == after.stdout
    for command in (["status"], ["verify", "--only", "migrations_applied"]):  # --tenant is accepted everywhere
        result = run_cli("--tenant", "tokyo-ia", *command, "--database-url", demo_url)
        assert result.exit_code == 0, (command, result.stderr)


def test_the_readme_memory_search_works_as_shown(demo_url):
    result = run_cli("search", "the forge", "--scope", "memories", "--agent", "elara_blacksmith",
                     "--tenant", "heartwood", "--database-url", demo_url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    wrong = run_cli("search", "the forge", "--scope", "memories", "--agent", "elara_blacksmith",
                    "--database-url", demo_url)
    errors = [line for line in wrong.stderr.splitlines() if line.startswith("Error:")]
    assert wrong.exit_code == 2 and len(errors) == 1 and "pass --tenant" in errors[0]


def test_keyword_search_scores_are_bm25_scores_above_zero(demo_url):
    result = run_cli("search", "keyword index", "--database-url", demo_url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and all(h["score"] > 0 for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
