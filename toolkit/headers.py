"""The one reader of `-- key: value` headers at the top of agentdb's SQL files.

    -- Purpose of the file, free text.
    -- transactional: false
    -- depends: ops.role_name knowledge.bm25_length
    -- description: First line of a description,
    --   continued on the next comment line.
    -- param: tenant text = personal  Tenant slug

The header is the leading block of comment lines (blank lines allowed); the body is
what follows. Only the keys in KEYS are read as keys, so a free-text line such as
`-- Note: ...` stays free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEYS = ("transactional", "depends", "requires", "description", "param", "mode", "severity", "fix", "lossless")
_FIELD = re.compile(r"^\s*--\s*(" + "|".join(KEYS) + r")\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Header:
    entries: tuple[tuple[str | None, str], ...]  # (key, value) in order; key None: a free-text line
    body: str  # the SQL after the header

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.entries if k == key]

    def get(self, key: str, default: str | None = None) -> str | None:
        """Every `key:` line's value joined by a space (default when there is none)."""
        found = self.values(key)
        return " ".join(v for v in found if v) if found else default

    def words(self, key: str) -> tuple[str, ...]:
        return tuple((self.get(key) or "").split())

    def text(self, key: str) -> str:
        """The value of `key` with the free-text lines that continue it."""
        parts: list[str] = []
        inside = False
        for k, value in self.entries:
            if k == key:
                inside = True
                parts.append(value)
            elif k is None and inside:
                parts.append(value)
            else:
                inside = False
        return " ".join(p for p in parts if p)

    def purpose(self) -> str:
        """The first free-text line: what the file is for."""
        return next((value for k, value in self.entries if k is None and value), "")

    @property
    def transactional(self) -> bool:
        return transactional_value(self.get("transactional"))


def transactional_value(value: str | None) -> bool:
    """The one rule for `-- transactional:`: only `false` takes a file out of a transaction."""
    return (value or "true").strip().lower() != "false"


def read(text: str) -> Header:
    entries: list[tuple[str | None, str]] = []
    lines = text.splitlines()
    start = len(lines)
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("--"):
            start = index
            break
        match = _FIELD.match(line)
        if match:
            entries.append((match.group(1), match.group(2)))
        else:
            entries.append((None, stripped.lstrip("-").strip()))
    return Header(tuple(entries), "\n".join(lines[start:]).strip())


def is_transactional(text: str) -> bool:
    return read(text).transactional
