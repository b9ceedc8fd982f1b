"""`agentdb ingest` of real documentation formats against a real PostgreSQL: HTML,
Markdown and reStructuredText folders, headings found by search, files skipped and named,
file names that are not UTF-8, and a bulk load as an application login under row-level
security."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from . import embedding_server
from .helpers import run_cli, scalar
from .test_ingest_readers import HTML, MARKDOWN, RST


def cli(url, *args):
    return run_cli(*args, "--database-url", url)


@pytest.fixture
def manual(tmp_path):
    folder = tmp_path / "manual"
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "errors.html").write_bytes(HTML.encode("iso-8859-1"))
    (folder / "guide.md").write_text(MARKDOWN)
    (folder / "codes.rst").write_text(RST.format(secret="/nonexistent"))
    (folder / "logo.png").write_bytes(b"\x89PNG")
    return folder


def contents(url) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("select d.file_name, c.content from knowledge.chunks c join knowledge.documents d "
                            "on d.tenant_id = c.tenant_id and d.id = c.document_id order by d.file_name, c.chunk_index")
        out: dict[str, list[str]] = {}
        for name, content in rows:
            out.setdefault(name, []).append(content)
        return out


def test_ingest_reads_html_markdown_and_rst_with_their_headings(db_url, manual):
    result = cli(db_url, "ingest", str(manual), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted((Path(r["path"]).name, r["status"]) for r in json.loads(result.stdout)) == [
        ("codes.rst", "loaded"), ("errors.html", "loaded"), ("guide.md", "loaded")]
    assert "3 loaded, 0 replaced, 0 unchanged" in result.stderr and "1 skipped (--verbose names them)" in result.stderr
    chunks = contents(db_url)
    assert chunks["errors.html"][0] == "Errors: Every error has a code. Caf\u00e9 au lait."
    assert chunks["errors.html"][1].startswith("Errors > E4021 > Cause: An expired token.")
    assert chunks["guide.md"][1] == "Errors > E4021"
    assert chunks["codes.rst"][1].startswith("Errors > E4021 > Cause: An expired token.")
    every = " ".join(" ".join(v) for v in chunks.values())
    for dropped in ("TODO", "inline note", "example.invalid", "tracking", "Site navigation", "a comment nobody"):
        assert dropped not in every
    assert scalar(db_url, "select name from knowledge.documents where file_name = 'errors.html'") == \
        "Errors \u2014 Manual"
    assert scalar(db_url, "select max(token_count) from knowledge.chunks") <= 256


def test_a_term_only_in_a_heading_finds_its_chunk(db_url, manual):
    assert cli(db_url, "ingest", str(manual / "guide.md")).exit_code == 0
    rows = json.loads(cli(db_url, "search", "E4021", "--format", "json").stdout)
    assert rows and rows[0]["content"] == "Errors > E4021"
    rows = json.loads(cli(db_url, "search", "E4022 expired", "--format", "json").stdout)
    assert rows[0]["content"].startswith("Errors > E4022: The refresh token expired")


def test_skipped_files_are_named_and_nothing_readable_fails(db_url, tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "notes.txt").write_bytes("caf\xe9".encode("latin-1"))
    result = cli(db_url, "ingest", str(tmp_path), "--verbose")
    assert result.exit_code == 2
    assert f"skipped {tmp_path}/logo.png: not a format agentdb reads" in result.stderr
    assert f"skipped {tmp_path}/notes.txt: not UTF-8 text" in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == ["Error: nothing ingested: all 2 file(s) were skipped"]
    assert scalar(db_url, "select count(*) from knowledge.documents") == 0
    (tmp_path / "notes.txt").unlink()
    result = cli(db_url, "ingest", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: nothing to ingest under")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no files" in cli(db_url, "ingest", str(empty)).stderr


def test_a_file_name_that_is_not_utf8_is_skipped_and_named(db_url, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n\nLoaded.\n")
    bad = Path(str(folder) + "/caf\udce9.md")  # the byte 0xe9 alone: Latin-1, not UTF-8
    bad.write_text("# Bad name\n")
    result = cli(db_url, "ingest", str(folder), "--verbose", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [Path(r["path"]).name for r in json.loads(result.stdout)] == ["good.md"]
    assert f"skipped {folder}/caf\\xe9.md: file name is not valid UTF-8" in result.stderr
    assert "1 loaded, 0 replaced, 0 unchanged, 1 chunks; 1 skipped" in result.stderr
    (folder / "good.md").unlink()
    alone = cli(db_url, "ingest", str(folder))
    assert alone.exit_code == 2 and "Traceback" not in alone.stderr
    named = cli(db_url, "ingest", str(bad))
    assert named.exit_code == 2
    assert named.stderr.strip().splitlines() == [f"Error: {folder}/caf\\xe9.md: the file name is not valid UTF-8; "
                                                 "rename it to ingest it"]


@pytest.fixture
def app_login(db_url):
    """A LOGIN role that is a member of the app role, as an application connects."""
    name = f"ingest_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(db_url, autocommit=True) as admin:
        app_role = admin.execute("select name from ops.roles where kind = 'app'").fetchone()[0]
        admin.execute(sql.SQL("create role {} login in role {}").format(sql.Identifier(name), sql.Identifier(app_role)))
    yield psycopg.conninfo.make_conninfo(db_url, user=name)
    with psycopg.connect(db_url, autocommit=True) as admin:  # the server of the database (a cluster's too)
        admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(name)))


def test_bulk_ingest_as_an_app_login_under_row_level_security(db_url, app_login, manual):
    server, endpoint = embedding_server.start()
    try:
        # the model is registered by the owner; the app login only uses it
        assert cli(db_url, "model", "add", "toy-embed", "--dims", str(embedding_server.DIMS)).exit_code == 0
        with psycopg.connect(app_login) as conn:
            assert conn.execute("select rolsuper or rolbypassrls from pg_roles where rolname = current_user"
                                ).fetchone()[0] is False
            conn.execute("select ops.set_tenant('personal')")
            assert conn.execute("select row_security_active('knowledge.chunks')").fetchone()[0]
            # PostgreSQL refuses at the start; Citus once a row reaches the shard (on the worker)
            with pytest.raises(psycopg.errors.FeatureNotSupported, match="row-level security"), \
                    conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                                       "from stdin") as copy:
                copy.write_row(("00000000-0000-7000-8000-000000000001", str(uuid.uuid4()), 0, "planted"))
        result = cli(app_login, "ingest", str(manual), "--tenant", "personal", "--defer-keyword-index",
                     "--embedder", f"openai:toy-embed@{endpoint}", "--format", "json")
        assert result.exit_code == 0, result.stderr
        assert {r["status"] for r in json.loads(result.stdout)} == {"loaded"}
        loaded = scalar(db_url, "select count(*) from knowledge.chunks c join knowledge.embedding_models m "
                                "on m.id = c.embedding_model_id where m.name = 'toy-embed' "
                                "and c.tenant_id = '00000000-0000-7000-8000-000000000001'")
        assert loaded == scalar(db_url, "select sum(chunk_count) from knowledge.documents") > 5
        again = cli(app_login, "ingest", str(manual / "guide.md"), "--tenant", "personal", "--chunk-tokens", "64",
                    "--overlap-tokens", "8", "--embedder", f"openai:toy-embed@{endpoint}", "--format", "json")
        assert [r["status"] for r in json.loads(again.stdout)] == ["replaced"]  # other chunking: loaded again
        rows = json.loads(cli(app_login, "search", "E4021", "--tenant", "personal", "--format", "json").stdout)
        assert rows and all("E4021" in r["content"] for r in rows)
    finally:
        server.shutdown()


CORE_ONLY = """
import sys
class Block:  # an install without the extras: no numpy, torch, tokenizers or onnxruntime
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('numpy', 'torch', 'sentence_transformers', 'tokenizers', 'onnxruntime'):
            raise ImportError(f'{name} is not installed (blocked by the test)')
sys.meta_path.insert(0, Block())
from toolkit.cli.main import cli
cli()
"""


def test_a_core_install_ingests_with_approximate_tokens(db_url, manual):
    import subprocess
    import sys

    from .conftest import ROOT

    done = subprocess.run([sys.executable, "-c", CORE_ONLY, "ingest", str(manual), "--database-url", db_url],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "3 loaded" in done.stderr
    tokens = scalar(db_url, "select array_agg(distinct metadata #>> '{chunking,tokens}') from knowledge.documents")
    assert len(tokens) == 1 and tokens[0].startswith("approximate")
