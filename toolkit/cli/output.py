"""The one formatter every command prints through: a table for people (fitted to the
terminal, long text cut with an ellipsis), json, jsonl or csv for scripts (full text;
numbers as numbers, times as ISO 8601, null as null)."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Iterable

import click

FORMATS = ("table", "json", "jsonl", "csv")


def _number(value: Decimal | float) -> Any:
    """A JSON number when a double holds the value exactly as PostgreSQL gave it (numeric
    up to 15 significant digits, every float8); otherwise (more digits, NaN, Infinity)
    the exact text as a string, so nothing is silently rounded."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value).replace("inf", "Infinity").replace("nan", "NaN")
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value.normalize() else str(value)


def _duration(value: timedelta) -> str:
    """An interval as an ISO 8601 duration: P1DT3600S, PT0.5S, -P2DT0S."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    seconds = value.seconds + value.microseconds / 1_000_000
    text = f"{seconds:.6f}".rstrip("0").rstrip(".")
    return f"{sign}P{value.days}DT{text}S" if value.days else f"{sign}PT{text}S"


def _plain(value: Any) -> Any:
    """A value as JSON has it: numbers as numbers, times as ISO 8601, None as null."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, (Decimal, float)):
        return _number(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _duration(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def table_width() -> int:
    """The terminal's width (COLUMNS when set; 80 when there is no terminal)."""
    return shutil.get_terminal_size((80, 24)).columns


def _fit(widths: list[int], limit: int) -> list[int]:
    """Column widths that fit `limit` with two spaces between columns: the widest columns
    are narrowed first, none below 3 characters."""
    room = limit - 2 * (len(widths) - 1)
    if sum(widths) <= room:
        return widths
    low, high = 3, max(widths)
    while low < high:  # the largest cap at which every column fits
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in widths) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(w, low) for w in widths]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render(rows: list[dict], fmt: str, columns: Iterable[str] | None = None, width: int | None = None) -> str:
    columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt == "json":
        return json.dumps([_plain(r) for r in rows], indent=2, ensure_ascii=False)
    if fmt == "jsonl":
        return "\n".join(json.dumps(_plain(r), ensure_ascii=False) for r in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buffer.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    cells = [[" ".join(_cell(row.get(c)).split()) for c in columns] for row in rows]
    widths = _fit([max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)],
                  width or table_width())
    lines = ["  ".join(_clip(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_clip(v, w).ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def emit(rows: list[dict], fmt: str, columns: Iterable[str] | None = None) -> None:
    text = render(rows, fmt, columns)
    if text:
        click.echo(text)


def emit_document(document: dict, fmt: str) -> None:
    """A single object (status with its header) for json; jsonl writes it on one line."""
    if fmt == "jsonl":
        click.echo(json.dumps(_plain(document), ensure_ascii=False))
    else:
        click.echo(json.dumps(_plain(document), indent=2, ensure_ascii=False))
