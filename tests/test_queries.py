"""Named queries: parsing, binding, and each query's answer on the sample rows."""

from __future__ import annotations

import json
import re

import pytest

from toolkit import queries
from toolkit.errors import UsageError

from .conftest import ROOT
from .helpers import run_cli
from .sample import load


@pytest.fixture
def sample_url(db_conn, db_url):
    sample = load(db_conn)
    db_conn.commit()
    return db_url, sample


def q(url, name, *params, fmt="json"):
    args = ["query", name, "--database-url", url, "--format", fmt]
    for p in params:
        args += ["-p", p]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def contents(rows):
    return [r["content"] for r in rows]


def test_work_by_project(sample_url):
    url, _ = sample_url
    rows = q(url, "work_by_project", "project=ikigai")
    assert contents(rows) == ["Split the connection pool module.", "Store only a hash of each refresh token.",
                              "How should we store OAuth refresh tokens?"]
    assert {r["project"] for r in rows} == {"ikigai"}
    window = q(url, "work_by_project", "project=ikigai", "since=2026-02-01", "until=2026-03-01")
    assert contents(window) == ["Split the connection pool module."]


def test_agent_work_in_project(sample_url):
    url, sample = sample_url
    assert len(q(url, "agent_work_in_project", "agent=coder-1", "project=ikigai")) == 3
    assert len(q(url, "agent_work_in_project", f"agent={sample.coder}", "project=ikigai")) == 3
    assert q(url, "agent_work_in_project", "agent=reviewer", "project=ikigai") == []


def test_tagged_work_across_agents(sample_url):
    url, _ = sample_url
    rows = q(url, "tagged_work", "tags=oauth-implementation")
    assert contents(rows) == ["Store only a hash of each refresh token.", "How should we store OAuth refresh tokens?"]
    assert all(r["focus"] == "implementing OAuth 2.0 authentication" for r in rows)
    assert contents(q(url, "tagged_work", "tags=refactoring")) == ["Split the connection pool module."]


def test_work_by_machine_and_path(sample_url):
    url, _ = sample_url
    rows = q(url, "work_by_machine", "machine=workstation", "user_name=mgreenly")
    assert contents(rows) == ["Add a retry to the HTTP client."] and rows[0]["project"] == "other-tool"
    rows = q(url, "work_by_path", "path=/home/mgreenly/projects/ikigai/main")
    assert len(rows) == 3 and {r["machine"] for r in rows} == {"laptop"}


def test_work_search_combines_filters_with_a_time_bound(sample_url):
    url, _ = sample_url
    rows = q(url, "work_search", "project=ikigai", "tags=refactoring", "since=2026-01-01")
    assert contents(rows) == ["Split the connection pool module."]
    assert q(url, "work_search", "project=ikigai", "tags=refactoring", "until=2026-01-31") == []
    assert len(q(url, "work_search")) == 4
    assert contents(q(url, "work_search", "machine=workstation", "agent=reviewer-1")) == [
        "Add a retry to the HTTP client."]


def test_what_did_we_decide(sample_url):
    url, _ = sample_url
    rows = q(url, "what_did_we_decide", "project=ikigai", "topic=oauth")
    assert contents(rows) == ["Store only a hash of each refresh token.", "How should we store OAuth refresh tokens?"]
    assert contents(q(url, "what_did_we_decide", "topic=database")) == ["Split the connection pool module."]
    assert len(q(url, "what_did_we_decide", "topic=retry")) == 1


def test_memory_document_by_reference(sample_url, db_conn):
    url, _ = sample_url
    rows = q(url, "memory_document", "reference=#mem-oauth/patterns")
    assert [(r["title"], r["version"], r["project"]) for r in rows] == [("OAuth 2.0 Implementation Patterns", 1, None)]
    number = db_conn.execute("select ref_number from memory.documents where title = 'Pool sizing'").fetchone()[0]
    rows = q(url, "memory_document", f"reference=#mem-{number}")
    assert [(r["title"], r["project"], r["reference"]) for r in rows] == [("Pool sizing", "ikigai", f"#mem-{number}")]


def test_user_sessions_not_archived_newest_first(db_conn, db_url):
    t = db_conn.execute("insert into core.tenants (slug, name) values ('cirk', 'Cirkelline') returning id").fetchone()[0]
    user = db_conn.execute("insert into core.users (tenant_id, email, is_admin, role) values "
                           "(%s, 'ivo@example.com', true, 'CEO') returning id", (t,)).fetchone()[0]
    for title, created, archived in [("old", "2026-01-01", None), ("new", "2026-02-01", None),
                                     ("gone", "2026-03-01", "2026-03-02")]:
        db_conn.execute("insert into chat.conversations (tenant_id, user_id, title, created_at, archived_at) "
                        "values (%s, %s, %s, %s, %s)", (t, user, title, created, archived))
    db_conn.commit()
    rows = q(db_url, "user_sessions", "tenant=cirk", "user=IVO@example.com")
    assert [r["title"] for r in rows] == ["new", "old"]


def test_conversation_with_messages_and_attachments(db_conn, db_url):
    t = db_conn.execute("insert into core.tenants (slug, name, external_id) values ('aj', 'AJ', 'org_123') "
                        "returning id").fetchone()[0]
    conv = db_conn.execute("insert into chat.conversations (tenant_id) values (%s) returning id", (t,)).fetchone()[0]
    mid, created = db_conn.execute("select * from chat.append_message(%s, 'user', 'see attached', %s, "
                                   "p_parts => '[{\"type\": \"text\", \"text\": \"see attached\"}]')",
                                   (t, conv)).fetchone()
    db_conn.execute("select * from chat.append_message(%s, 'assistant', 'got it', %s)", (t, conv))
    fid = db_conn.execute("insert into chat.files (tenant_id, conversation_id, kind, name, size_bytes) "
                          "values (%s, %s, 'attachment', 'q3.xlsx', 2048) returning id", (t, conv)).fetchone()[0]
    db_conn.execute("insert into chat.message_files (tenant_id, message_id, message_created_at, file_id) "
                    "values (%s, %s, %s, %s)", (t, mid, created, fid))
    db_conn.commit()
    rows = q(db_url, "conversation_messages", "tenant=org_123", f"conversation={conv}")
    assert [r["content"] for r in rows] == ["see attached", "got it"]
    assert rows[0]["attachments"][0]["name"] == "q3.xlsx"
    assert rows[0]["attachments"][0]["workspace_path"].endswith("/files/attachments/q3.xlsx")
    assert rows[1]["attachments"] == [] and rows[0]["parts"][0]["type"] == "text"


def test_bad_parameters_exit_2_naming_the_parameter(sample_url):
    url, _ = sample_url
    cases = [
        (["work_by_project"], "missing parameter project"),
        (["work_by_project", "-p", "project=x", "-p", "since=yesterdayish"], "parameter since"),
        (["work_by_project", "-p", "project=x", "-p", "limit=ten"], "parameter limit"),
        (["work_by_project", "-p", "project=x", "-p", "colour=red"], "unknown parameter 'colour'"),
        (["conversation_messages", "-p", "conversation=not-a-uuid"], "parameter conversation"),
        (["work_by_project", "-p", "project=x", "-p", "tenant=nobody"], 'no tenant "nobody"'),
        (["no_such_query"], "no named query 'no_such_query'"),
        (["work_by_project", "-p", "project"], "give parameters as key=value"),
    ]
    for args, message in cases:
        result = run_cli("query", *args, "--database-url", url)
        assert result.exit_code == 2, (args, result.stderr)
        assert message in result.stderr and result.stderr.count("\n") == 1


def test_values_are_bound_not_spliced(sample_url):
    url, _ = sample_url
    hostile = "ikigai'; drop table chat.messages; --"
    assert q(url, "work_by_project", f"project={hostile}") == []
    assert len(q(url, "work_search")) == 4


def test_queries_lists_every_file_with_parameters(sample_url):
    url, _ = sample_url
    result = run_cli("queries", "--format", "json")
    listed = {r["name"]: r for r in json.loads(result.stdout)}
    assert set(listed) == {p.stem for p in (ROOT / "sql" / "queries").glob("*.sql")}
    assert listed["work_by_project"]["parameters"].startswith("tenant text = personal, project text")
    assert all(r["description"] for r in listed.values())


def test_placeholders_skip_strings_casts_and_comments(tmp_path):
    path = tmp_path / "x.sql"
    path.write_text("-- description: t\n-- param: a integer\nselect ':b', 1::int, :a -- :c\n")
    query = queries.parse(path)
    assert queries.placeholders(query.body) == ["a"]
    assert "(%(a)s::integer)" in queries.compile_sql(query)
    path.write_text("-- description: t\nselect :undeclared\n")
    with pytest.raises(UsageError, match="undeclared"):
        queries.parse(path)


def test_time_bounded_queries_prune_partitions(db_conn):
    """EXPLAIN of a named query with a one-month window touches one monthly partition."""
    from .conftest import ROOT as root

    now = db_conn.execute("select date_trunc('month', now() at time zone 'UTC')").fetchone()[0]
    since, until = now.isoformat(), (now.replace(day=20)).isoformat()
    for name, given in [("work_by_project", {"project": "ikigai"}), ("work_search", {}),
                        ("agent_metric_series", {"agent": "a", "metric_type": "latency", "bucket": "1 hour"})]:
        query = queries.find(root / "sql" / "queries", name)
        values = queries.bind(db_conn, query, {**given, "since": since, "until": until})
        plan = "\n".join(r[0] for r in db_conn.execute("explain " + queries.compile_sql(query), values))
        table = "metrics" if name == "agent_metric_series" else "messages"
        scanned = sorted(set(re.findall(rf"on ({table}_(?:p\d{{4}}_\d{{2}}|default))", plan)))
        assert scanned == [f"{table}_p{now:%Y_%m}"], (name, plan)
