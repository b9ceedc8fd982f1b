"""Split a read document into chunks sized in the embedding model's tokens, with overlap.

Each chunk holds the text of one section (the blocks under one heading path), prefixed
with that path: "Title > Section: text". The prefix is part of what is stored, indexed
and embedded, so a search for a word that is only in a heading finds the section's
chunks. A chunk's prefix and text fit max_tokens word pieces with the model's two special
tokens ([CLS], [SEP]); a section longer than that continues in the next chunk, which
repeats the last `overlap` tokens of the one before. Blocks are kept whole where they
fit, else split at sentence or line ends, else at token boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from .ingest.outline import Block, Document
from .tokens import TokenCounter, default_counter

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
OVERLAP = 32
SPECIAL = 2  # [CLS] and [SEP]
SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")


@dataclass(frozen=True)
class Chunk:
    text: str
    headings: tuple[str, ...]
    tokens: int  # word pieces of text, special tokens included


def _pieces(text: str, budget: int, counter: TokenCounter) -> list[tuple[str, str, int]]:
    """(separator, piece, tokens): the block whole if it fits, else sentences (or lines),
    and any sentence still too long cut at token boundaries."""
    n = counter.count(text)
    if n <= budget:
        return [("\n\n", text, n)]
    out: list[tuple[str, str, int]] = []
    separator = "\n\n"
    for sentence in SENTENCE.split(text):
        if not sentence.strip():
            continue
        spans = counter.spans(sentence)
        for start in range(0, len(spans), budget):
            window = spans[start:start + budget]
            end = spans[start + budget][0] if start + budget < len(spans) else len(sentence)
            out.append((separator, sentence[window[0][0]:end].strip(), len(window)))
            separator = " "
        separator = "\n" if "\n" in text and "\n" not in sentence else " "
    return [p for p in out if p[1]]


def _tail(text: str, overlap: int, counter: TokenCounter) -> tuple[str, int]:
    spans = counter.spans(text)
    if overlap <= 0 or not spans:
        return "", 0
    if len(spans) <= overlap:
        return text, len(spans)
    return text[spans[-overlap][0]:], overlap


def _section(headings: tuple[str, ...], blocks: list[Block], counter: TokenCounter, max_tokens: int,
             overlap: int) -> list[Chunk]:
    prefix = " > ".join(headings)
    head = f"{prefix}: " if prefix else ""
    if counter.count(head) > max_tokens // 2:  # a pathological heading path: keep its last heading
        prefix = headings[-1][:200]
        head = f"{prefix}: "
    budget = max(16, max_tokens - SPECIAL - counter.count(head))
    texts = [b.text for b in blocks if b.text]
    if not texts:
        return [Chunk(prefix, headings, counter.count(prefix) + SPECIAL)] if prefix else []
    chunks: list[Chunk] = []
    body, size = "", 0

    def emit() -> None:
        text = head + body
        chunks.append(Chunk(text, headings, counter.count(text) + SPECIAL))

    for text in texts:
        for separator, piece, n in _pieces(text, budget, counter):
            if body and size + n > budget:
                emit()
                body, size = _tail(body, min(overlap, budget - n), counter)
            body = f"{body}{separator}{piece}" if body else piece
            size += n
    emit()
    return chunks


def chunk_document(document: Document, counter: TokenCounter | None = None, max_tokens: int = MAX_TOKENS,
                   overlap: int = OVERLAP) -> list[Chunk]:
    """The document's chunks in order: one or more per section, none empty."""
    counter = counter or default_counter()
    chunks: list[Chunk] = []
    for headings, blocks in groupby(document.blocks, key=lambda b: b.headings):
        chunks.extend(_section(headings, list(blocks), counter, max_tokens, overlap))
    return chunks
