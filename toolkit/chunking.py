"""Split a read document into chunks sized in the embedding model's tokens, with overlap.

Each chunk holds the text of one section (the blocks under one heading path), prefixed
with that path: "Title > Section: text". The prefix is part of what is stored, indexed
and embedded, so a search for a word that is only in a heading finds the section's
chunks. A chunk's prefix and text fit max_tokens word pieces with the model's two special
tokens ([CLS], [SEP]); a section longer than that continues in the next chunk, which
repeats the last `overlap` tokens of the one before. Blocks are kept whole where they
fit, else split at sentence or line ends, else at token boundaries.

Word pieces never cross whitespace, so the pieces of texts joined by whitespace are the
pieces of each: every block is tokenized once (in one batch per document) and a chunk's
count is the sum of its parts."""

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

Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Chunk:
    text: str
    headings: tuple[str, ...]
    tokens: int  # word pieces of text, special tokens included


def _pieces(text: str, spans: Spans, budget: int) -> list[tuple[str, str, Spans]]:
    """(separator, piece, its spans relative to the piece): the block whole if it fits,
    else sentences (or lines), and a sentence still too long cut at token boundaries."""
    if len(spans) <= budget:
        return [("\n\n", text, spans)]
    out: list[tuple[str, str, Spans]] = []
    separator, index = "\n\n", 0
    for match in [*SENTENCE.finditer(text), None]:
        end = match.start() if match else len(text)
        inside = []
        while index < len(spans) and spans[index][0] < end:
            inside.append(spans[index])
            index += 1
        for start in range(0, len(inside), budget):
            window = inside[start:start + budget]
            stop = inside[start + budget][0] if start + budget < len(inside) else end
            begin = window[0][0]
            out.append((separator, text[begin:stop].rstrip(), [(a - begin, b - begin) for a, b in window]))
            separator = " "
        if match:
            separator = "\n" if "\n" in match.group() else " "
    return out


def _tail(parts: list[tuple[str, str, Spans]], overlap: int) -> list[tuple[str, str, Spans]]:
    """The last `overlap` tokens of a chunk's parts, as parts."""
    kept: list[tuple[str, str, Spans]] = []
    need = overlap
    for separator, piece, spans in reversed(parts):
        if need <= 0:
            break
        if len(spans) <= need:
            kept.insert(0, (separator, piece, spans))
            need -= len(spans)
        else:
            begin = spans[-need][0]
            kept.insert(0, (" ", piece[begin:], [(a - begin, b - begin) for a, b in spans[-need:]]))
            need = 0
    return kept


def _section(headings: tuple[str, ...], blocks: list[tuple[str, Spans]], counter: TokenCounter,
             max_tokens: int, overlap: int) -> list[Chunk]:
    prefix = " > ".join(headings)
    head = f"{prefix}: " if prefix else ""
    head_tokens = counter.count(head) if head else 0
    if head_tokens > max_tokens // 2:  # a pathological heading path: keep its last heading
        prefix = headings[-1][:200]
        head = f"{prefix}: "
        head_tokens = counter.count(head)
    budget = max(16, max_tokens - SPECIAL - head_tokens)
    if not blocks:
        return [Chunk(prefix, headings, counter.count(prefix) + SPECIAL)] if prefix else []
    chunks: list[Chunk] = []
    parts: list[tuple[str, str, Spans]] = []

    def emit() -> None:
        body = "".join(piece if i == 0 else separator + piece for i, (separator, piece, _) in enumerate(parts))
        chunks.append(Chunk(head + body, headings, head_tokens + sum(len(s) for *_, s in parts) + SPECIAL))

    for text, spans in blocks:
        for part in _pieces(text, spans, budget):
            size = sum(len(s) for *_, s in parts)
            if parts and size + len(part[2]) > budget:
                emit()
                parts = _tail(parts, min(overlap, budget - len(part[2])))
            parts.append(part)
    emit()
    return chunks


def chunk_document(document: Document, counter: TokenCounter | None = None, max_tokens: int = MAX_TOKENS,
                   overlap: int = OVERLAP) -> list[Chunk]:
    """The document's chunks in order: one or more per section, none empty."""
    counter = counter or default_counter()
    texts = [b.text for b in document.blocks if b.text]
    spans = iter(counter.spans_batch(texts))
    chunks: list[Chunk] = []
    for headings, group in groupby(document.blocks, key=lambda b: b.headings):
        blocks: list[Block] = [b for b in group if b.text]
        chunks.extend(_section(headings, [(b.text, next(spans)) for b in blocks], counter, max_tokens, overlap))
    return chunks
