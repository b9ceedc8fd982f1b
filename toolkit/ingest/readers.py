"""Which files `agentdb ingest` reads and how: the format from the file's suffix (a
`.gz` one read through gzip, as Debian ships its documentation), the bytes decoded, the
reader for the format. Files it cannot read are skipped with a reason, never silently."""

from __future__ import annotations

import gzip
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import UsageError
from .outline import Document, Outline

FORMATS = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rst": "rst", ".rest": "rst",
    ".txt": "text", ".text": "text", ".adoc": "text", ".org": "text",
}
CONTENT_TYPES = {"markdown": "text/markdown", "html": "text/html", "rst": "text/x-rst", "text": "text/plain"}
MAX_BYTES = 50 * 2**20  # a decompressed file past this is skipped, not read into memory


class Unreadable(Exception):
    """A file skipped: its message says why."""


@dataclass(frozen=True)
class Skipped:
    path: str  # as printable text (a name that is not UTF-8 shows its bytes escaped)
    reason: str


def display(path: Path) -> str:
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def format_of(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def _utf8_name(path: Path) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def find(paths: list[str]) -> tuple[list[Path], list[Skipped]]:
    """The files to read under the given paths (directories walked, hidden ones left
    out) and the ones skipped. A named file that is missing, not UTF-8-named or of an
    unknown format is bad input."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"{display(path)}: no such file or directory")
        if not path.is_dir():
            if not _utf8_name(path):
                raise UsageError(f"{display(path)}: the file name is not valid UTF-8; rename it to ingest it")
            if format_of(path) is None:
                raise UsageError(f"{display(path)}: not a format agentdb can ingest "
                                 f"({', '.join(sorted(FORMATS))}, or any of them .gz)")
            found.append(path.resolve())
            continue
        for root, dirs, names in os.walk(path):
            for name in sorted(d for d in dirs if d.startswith(".")):
                skipped.append(Skipped(display(Path(root, name)), "hidden directory, not walked"))
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                file = Path(root, name)
                if not _utf8_name(file):
                    skipped.append(Skipped(display(file), "file name is not valid UTF-8"))
                elif name.startswith("."):
                    skipped.append(Skipped(display(file), "hidden file"))
                elif format_of(file) is None:
                    skipped.append(Skipped(display(file), "not a format agentdb reads"))
                elif file.is_file():
                    found.append(file.resolve())
    return list(dict.fromkeys(found)), skipped


def raw_bytes(path: Path) -> bytes:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if path.suffix.lower() == ".gz":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as unzipped:
                raw = unzipped.read(MAX_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise Unreadable(f"not a readable gzip file ({exc})") from exc
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"larger than {MAX_BYTES // 2**20} MB")
    if b"\x00" in raw[:8192]:
        raise Unreadable("binary content")
    return raw


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"not UTF-8 text (byte {exc.start})") from exc


def _plain(text: str) -> Document:
    outline = Outline()
    for paragraph in text.replace("\r\n", "\n").split("\n\n"):
        outline.block(paragraph)
    return outline.finish()


def _reader(kind: str) -> Callable[[bytes], Document]:
    if kind == "html":
        from .html import read_html

        return read_html  # bytes: BeautifulSoup honours the page's declared encoding
    if kind == "markdown":
        from .markdown import read_markdown

        return lambda raw: read_markdown(_text(raw))
    if kind == "rst":
        from .rst import read_rst

        return lambda raw: read_rst(_text(raw))
    return lambda raw: _plain(_text(raw))


def read(path: Path, raw: bytes) -> Document:
    """The file's document, by its format; Unreadable when it cannot be read."""
    kind = format_of(path) or "text"
    try:
        return _reader(kind)(raw)
    except Unreadable:
        raise
    except (ValueError, RecursionError, AssertionError) as exc:  # a parser giving up on malformed input
        raise Unreadable(f"the {kind} reader failed: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
