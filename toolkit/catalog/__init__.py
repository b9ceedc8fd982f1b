"""A database's schema as comparable rows, and the comparison of two of them.

`snapshot(conn)` reads the catalog (never table data) into {object: {attribute: value}},
e.g. {"column core.tenants.slug": {"type": "text", "not null": "not null", ...}}.
`compare(expected, actual)` gives one Difference per object missing, unexpected, or per
attribute that differs. What a snapshot leaves out, and why: see queries.py and
docs/decisions.md ("Catalog comparison").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import psycopg

from . import objects, queries

QUERIES = {
    "schemas": objects.SCHEMAS, "extensions": objects.EXTENSIONS, "relations": queries.RELATIONS,
    "columns": queries.COLUMNS, "constraints": queries.CONSTRAINTS, "indexes": queries.INDEXES,
    "triggers": queries.TRIGGERS, "routines": objects.ROUTINES, "policies": queries.POLICIES,
    "types": objects.TYPES, "sequences": objects.SEQUENCES, "partitions": objects.PARTITIONS,
}

Snapshot = dict[str, dict[str, str | None]]


def snapshot(conn: psycopg.Connection) -> Snapshot:
    """The catalog of the database `conn` is connected to, as {object: {attribute: value}}."""
    found: Snapshot = {}
    with conn.cursor() as cur:
        for query in QUERIES.values():
            for name, attribute, value in cur.execute(query):
                found.setdefault(name, {})[attribute] = _sorted(value) if attribute == "grants" else value
    return found


def _sorted(grants: str | None) -> str | None:
    return None if grants is None else ", ".join(sorted(g for g in grants.split(", ") if g))


def as_owned_by(snap: Snapshot, builder: str, owner: str) -> Snapshot:
    """The snapshot as if role `owner` had run the migrations that role `builder` ran: who
    migrates owns what no rule reassigns, and holds its owner's privileges on it."""
    if not builder or not owner or builder == owner:
        return snap
    moved: Snapshot = {}
    for name, attributes in snap.items():
        changed = dict(attributes)
        if changed.get("owner") == builder:
            changed["owner"] = owner
        if changed.get("grants"):
            changed["grants"] = _sorted(", ".join(owner + g[len(builder):] if g.startswith(builder + "=") else g
                                                  for g in changed["grants"].split(", ")))
        moved[name] = changed
    return moved


@dataclass(frozen=True)
class Difference:
    object: str
    what: str
    expected: str | None
    actual: str | None

    def as_row(self) -> dict:
        return asdict(self)


def compare(expected: Snapshot, actual: Snapshot) -> list[Difference]:
    """What differs between two snapshots, sorted by object: an object missing from
    `actual` or present only there is one row; otherwise one row per attribute."""
    rows = []
    for name in sorted(expected.keys() | actual.keys()):
        if name not in actual:
            rows.append(Difference(name, "object", "present", "missing"))
        elif name not in expected:
            rows.append(Difference(name, "object", "absent", "present"))
        else:
            want, got = expected[name], actual[name]
            for attribute in sorted(want.keys() | got.keys()):
                if want.get(attribute) != got.get(attribute):
                    rows.append(Difference(name, attribute, want.get(attribute), got.get(attribute)))
    return rows


def missing_or_changed(expected: Snapshot, actual: Snapshot) -> list[Difference]:
    """The differences that mean `actual` lacks part of `expected` (objects only in
    `actual` are left out): what baseline asks of a prefix of the migrations."""
    return [d for d in compare(expected, actual) if not (d.what == "object" and d.expected == "absent")]


def excerpt(expected: str | None, actual: str | None, width: int = 60) -> tuple[str, str]:
    """Short forms of two long values for a table: the first line where they differ."""
    if expected is None or actual is None or (len(expected) <= width and len(actual) <= width):
        return ("" if expected is None else expected, "" if actual is None else actual)
    left, right = expected.splitlines() or [""], actual.splitlines() or [""]
    for number, (a, b) in enumerate(zip(left, right), start=1):
        if a != b:
            return (f"line {number}: {a.strip()[:width]}", f"line {number}: {b.strip()[:width]}")
    number = min(len(left), len(right)) + 1
    tail = (left[number - 1] if len(left) >= number else "(end)", right[number - 1] if len(right) >= number else "(end)")
    return (f"line {number}: {tail[0].strip()[:width]}", f"line {number}: {tail[1].strip()[:width]}")
