"""Split a document's text into passages for retrieval: paragraphs packed up to a size,
headings carried along so every passage knows where it stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")


@dataclass(frozen=True)
class Passage:
    text: str
    headings: tuple[str, ...]


def _paragraphs(text: str):
    """(headings, paragraph) pairs; a markdown heading updates the heading path."""
    headings: list[str] = []
    block: list[str] = []
    in_code = False
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip().startswith("```"):
            in_code = not in_code
        match = HEADING.match(line) if not in_code else None
        if match or (not line.strip() and not in_code):
            if block:
                yield tuple(headings), "\n".join(block).strip()
                block = []
            if match:
                level = len(match.group(1))
                headings[:] = headings[: level - 1] + [match.group(2)]
            continue
        block.append(line)
    if block:
        yield tuple(headings), "\n".join(block).strip()


def chunk_text(text: str, max_chars: int = 1200) -> list[Passage]:
    """Pack consecutive paragraphs under the same headings into passages of at most
    max_chars (a longer paragraph is split at sentence ends, then hard)."""
    passages: list[Passage] = []
    current: list[str] = []
    current_headings: tuple[str, ...] = ()
    size = 0

    def flush() -> None:
        nonlocal current, size
        if current:
            passages.append(Passage("\n\n".join(current), current_headings))
        current, size = [], 0

    for headings, paragraph in _paragraphs(text):
        if not paragraph:
            continue
        if headings != current_headings:
            flush()
            current_headings = headings
        for piece in _split_long(paragraph, max_chars):
            if size + len(piece) + 2 > max_chars:
                flush()
            current.append(piece)
            size += len(piece) + 2
    flush()
    return passages


def _split_long(paragraph: str, max_chars: int) -> list[str]:
    if len(paragraph) <= max_chars:
        return [paragraph]
    pieces: list[str] = []
    buffer = ""
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        while len(sentence) > max_chars:
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        if len(buffer) + len(sentence) + 1 > max_chars and buffer:
            pieces.append(buffer)
            buffer = ""
        buffer = f"{buffer} {sentence}".strip()
    if buffer:
        pieces.append(buffer)
    return pieces
