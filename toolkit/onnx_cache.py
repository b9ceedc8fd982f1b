"""Where the ONNX exports of local embedding models are kept: AGENTDB_CACHE_DIR, else
$XDG_CACHE_HOME/agentdb, else ~/.cache/agentdb; one folder per model under onnx/."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("AGENTDB_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "agentdb") if xdg else str(Path.home() / ".cache" / "agentdb")
    return Path(base) / "onnx"
