"""`agentdb verify` and `agentdb drift` on a distributed database: what `agentdb distribute`
changes on purpose (policies folded, foreign keys re-made, set-null triggers, audit triggers
off reference tables, custom plans, the Citus extension) is not drift, and an out-of-band
change on the cluster still is."""

from __future__ import annotations

import json

from ..conftest import ROOT
from ..helpers import run_cli


def _drift(url: str):
    result = run_cli("drift", "--database-url", url, "--project-dir", str(ROOT), "--format", "json", "--no-cache")
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else result.stderr


def test_the_whole_verify_holds_on_a_distributed_database(db_url):
    result = run_cli("verify", "--database-url", db_url, "--project-dir", str(ROOT), "--format", "json")
    failing = {f["name"]: f["rows"][:3] for f in json.loads(result.stdout)["invariants"] if f["rows"]}
    assert result.exit_code == 0 and failing == {}, failing


def test_distribution_is_not_drift_and_an_out_of_band_change_is(db_conn, db_url):
    assert _drift(db_url) == (0, [])
    db_conn.execute("alter table chat.messages add column sneaky integer")  # propagated to the shards
    db_conn.execute("drop trigger _050_null_agents_tenant_id_owner_user_id_fkey on core.users")
    db_conn.commit()
    code, rows = _drift(db_url)
    assert code == 1
    found = {(r["object"], r["what"], r["expected"], r["actual"]) for r in rows}
    assert found == {("column chat.messages.sneaky", "object", "absent", "present"),
                     ("trigger core.users._050_null_agents_tenant_id_owner_user_id_fkey", "object", "present",
                      "missing")}, rows


SAMPLES = {"text": "probe", "text[]": ["probe"], "integer": 1, "float8": 0.5, "timestamptz": "2026-01-01",
           "interval": "1 day", "uuid": "00000000-0000-7000-8000-0000000000ff", "boolean": True, "vector": "[1,0,0]"}


def test_every_named_query_runs_on_the_cluster(db_conn):
    """Each named query as `agentdb query` runs it, its required parameters given sample
    values: Citus plans every one (a statement shape it refuses fails at planning, before
    any 'not found' of the sample values, which is all these may raise)."""
    from toolkit import queries
    from toolkit.config import Project

    db_conn.execute("select knowledge.register_embedding_model('probe', 3)")
    db_conn.commit()
    refused = {}
    for query in queries.load_all(Project(ROOT).query_dirs()).values():
        values = {p.name: ([p.default] if p.is_array else p.default) if not p.required
                  else SAMPLES[p.type] for p in query.params}
        values = {k: ("probe" if k == "model" and v is None else v) for k, v in values.items()}
        try:
            with db_conn.transaction():
                db_conn.execute(queries.compile_sql(query), values).fetchall()
                raise _RolledBack
        except _RolledBack:
            pass
        except Exception as exc:  # noqa: BLE001 - every failure is listed, classified below
            state = getattr(exc, "sqlstate", None) or ""
            if state[:2] in ("0A", "XX", "42", "25") or not state:
                refused[query.name] = f"{state}: {exc}"
    assert refused == {}, refused


class _RolledBack(Exception):
    """Leaves a named query's transaction rolled back (a write query changes nothing)."""
