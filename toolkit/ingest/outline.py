"""What every reader produces: a document's title and its text as blocks, each block
under the path of headings it stands beneath."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    headings: tuple[str, ...]
    text: str  # empty for a heading with nothing beneath it, so the heading is still found


@dataclass
class Document:
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)


class Outline:
    """Builds a Document as a reader walks its source: heading(level, text) moves the
    heading path, block(text) adds text beneath it. A heading followed by another of the
    same or a higher level with no text between them becomes an empty block."""

    def __init__(self) -> None:
        self.document = Document()
        self._path: list[tuple[int, str]] = []
        self._bare: int | None = None  # level of the last heading, while nothing is beneath it

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(text for _, text in self._path)

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if self._bare is not None and level <= self._bare:
            self.document.blocks.append(Block(self.headings, ""))
        self._path = [(lvl, t) for lvl, t in self._path if lvl < level] + [(level, text)]
        self._bare = level
        if level == 1 and self.document.title is None:
            self.document.title = text

    def block(self, text: str) -> None:
        text = text.strip()
        if any(c.isalnum() for c in text):  # not an empty table's or a rule's leftovers
            self.document.blocks.append(Block(self.headings, text))
            self._bare = None

    def finish(self) -> Document:
        if self._bare is not None:
            self.document.blocks.append(Block(self.headings, ""))
            self._bare = None
        return self.document
