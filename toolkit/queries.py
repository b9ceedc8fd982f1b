"""Named queries: one file per query under sql/queries/, a header that documents it and
its typed parameters, `:name` placeholders in the body.

    -- description: All work on a project, newest first (ikigai).
    -- param: tenant text = personal  Tenant slug, id or external id
    -- param: project text  Project name
    -- param: since timestamptz = null  Only rows at or after this time
    -- mode: write    (optional: the query changes data; others run read-only)
    select ... where m.project_id = ... and (:since is null or m.created_at >= :since)

Values are always bound, never spliced into SQL: each `:name` becomes a bound parameter
cast to its declared type, and every value is checked against that type by PostgreSQL
before the query runs, so a bad value is reported by parameter name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from . import headers
from .errors import CheckFailed, UsageError, describe_pg_error
from .sqlfiles import read_sql

# SQLSTATEs that mean the caller's values were wrong: no such row named by a parameter
# (core.resolve_tenant raises P0002), bad text for a type, a bad argument value.
BAD_INPUT = {"P0002", "22P02", "22023", "22007", "22008"}

PARAM_LINE = re.compile(
    r"^(?P<name>[a-z_][a-z0-9_]*)\s+(?P<type>[a-z_][a-z0-9_ ]*?(?:\[\])?)"
    r"(?:\s*=\s*(?P<default>'[^']*'|\S+))?(?:\s{2,}(?P<doc>.*))?\s*$"
)
TYPE_NAME = re.compile(r"^[a-z_][a-z0-9_ ]*(\[\])?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    default: str | None  # text of the default; None means SQL null
    doc: str

    @property
    def is_array(self) -> bool:
        return self.type.endswith("[]")

    def signature(self) -> str:
        if self.required:
            return f"{self.name} {self.type}"
        return f"{self.name} {self.type} = {'null' if self.default is None else self.default}"


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    description: str
    params: tuple[Param, ...]
    writes: bool
    body: str  # the SQL after the header, with :name placeholders

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse(path: Path) -> NamedQuery:
    header = headers.read(read_sql(path))
    params: list[Param] = []
    for line in header.values("param"):
        match = PARAM_LINE.match(line)
        if not match or not TYPE_NAME.match(match["type"]):
            raise UsageError(f"{path.name}: cannot read parameter line: -- param: {line}")
        default = match["default"]
        params.append(Param(
            name=match["name"],
            type=match["type"].strip(),
            required=default is None,
            default=None if default in (None, "null") else default.strip("'"),
            doc=(match["doc"] or "").strip(),
        ))
    body = header.body.rstrip(";").strip()
    if not body:
        raise UsageError(f"{path.name}: no SQL after the header")
    writes = (header.get("mode") or "").strip().lower() == "write"
    query = NamedQuery(path.stem, path, header.text("description"), tuple(params), writes, body)
    declared = {p.name for p in params}
    used = set(placeholders(body))
    if used - declared:
        raise UsageError(f"{path.name}: :{sorted(used - declared)[0]} is used but not declared with -- param:")
    if declared - used:
        raise UsageError(f"{path.name}: parameter {sorted(declared - used)[0]} is declared but not used")
    return query


def _directories(where: Path | list[Path]) -> list[Path]:
    return [where] if isinstance(where, Path) else list(where)


def load_all(where: Path | list[Path]) -> dict[str, NamedQuery]:
    """Every named query in one directory or several (one per migration set, in set
    order); a name defined twice is an error, not a silent override."""
    found: dict[str, NamedQuery] = {}
    for directory in _directories(where):
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.sql")):
            if path.stem in found:
                raise UsageError(f"{path}: named query {path.stem} is defined twice ({found[path.stem].path})")
            found[path.stem] = parse(path)
    return found


def find(where: Path | list[Path], name: str) -> NamedQuery:
    paths = [d / f"{name}.sql" for d in _directories(where)]
    hits = [p for p in paths if p.is_file()]
    if not re.match(r"^[a-z_][a-z0-9_]*$", name) or not hits:
        known = ", ".join(sorted(load_all(where))) or "none"
        raise UsageError(f"no named query {name!r} (known: {known})")
    return parse(hits[0])


def parse_pairs(values) -> dict[str, str]:
    """`-p key=value` strings as a dict (a later key wins)."""
    given: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-p {item!r}: give parameters as key=value")
        given[key.strip()] = value
    return given


def _scan(body: str):
    """Yield (kind, text) pieces of the body: 'sql', 'quoted' (string literals, quoted
    identifiers, comments, dollar-quoted bodies) and 'param' (a :name placeholder)."""
    pattern = re.compile(
        r"(?P<quoted>'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|(?P<dollar>\$[a-z_]*\$).*?(?P=dollar))"
        r"|(?P<cast>::)"
        r"|(?P<param>(?<![:\w]):(?P<name>[a-z_][a-z0-9_]*))",
        re.S | re.I,
    )
    position = 0
    for match in pattern.finditer(body):
        if match.start() > position:
            yield "sql", body[position:match.start()]
        if match["param"]:
            yield "param", match["name"]
        elif match["cast"]:
            yield "sql", "::"
        else:
            yield "quoted", match.group(0)
        position = match.end()
    if position < len(body):
        yield "sql", body[position:]


def placeholders(body: str) -> list[str]:
    return [text for kind, text in _scan(body) if kind == "param"]


def compile_sql(query: NamedQuery) -> str:
    """The body in psycopg's %(name)s style, each placeholder cast to its declared type."""
    out = []
    for kind, text in _scan(query.body):
        if kind == "param":
            out.append(f"(%({text})s::{query.param(text).type})")
        else:
            out.append(text.replace("%", "%%"))
    return "".join(out)


def bind(conn: psycopg.Connection, query: NamedQuery, given: dict[str, str]) -> dict[str, object]:
    """Match `-p key=value` strings to the declared parameters and check each value with
    PostgreSQL's own input function for the declared type."""
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        names = ", ".join(p.name for p in query.params) or "none"
        raise UsageError(f"{query.name}: unknown parameter {unknown[0]!r} (parameters: {names})")
    values: dict[str, object] = {}
    for param in query.params:
        if param.name in given:
            raw: str | None = given[param.name]
        elif param.required:
            raise UsageError(f"{query.name}: missing parameter {param.name} ({param.type}); pass -p {param.name}=VALUE")
        else:
            raw = param.default
        value: object = raw
        if raw is not None and param.is_array:
            value = [item.strip() for item in raw.split(",") if item.strip()]
        if value is not None:
            try:
                with conn.transaction():
                    conn.execute(sql.SQL("select %s::{}").format(sql.SQL(param.type)), [value])
            except psycopg.Error as exc:
                message = exc.diag.message_primary if exc.diag else str(exc)
                raise UsageError(f"{query.name}: parameter {param.name}: {raw!r} is not a valid {param.type} ({message})") from exc
        values[param.name] = value
    return values


def run(conn: psycopg.Connection, query: NamedQuery, given: dict[str, str],
        tenant: str | None = None) -> tuple[list[str], list[dict]]:
    """Run the query in one transaction (read-only unless it declares `-- mode: write`);
    with `tenant`, that transaction's tenant is set first (ops.set_tenant) and fills the
    query's `tenant` parameter when it was not given. Returns the column names and rows."""
    if tenant and query.param("tenant") and "tenant" not in given:
        given = {**given, "tenant": tenant}
    values = bind(conn, query, given)
    with conn.transaction():
        if not query.writes:
            conn.execute("set transaction read only")
        if tenant:
            try:
                conn.execute("select ops.set_tenant(%s)", (tenant,))
            except psycopg.Error as exc:
                raise UsageError(f"--tenant {tenant}: {describe_pg_error(exc)}") from exc
        try:
            cursor = conn.execute(compile_sql(query), values)
        except psycopg.Error as exc:
            if exc.sqlstate in BAD_INPUT:
                raise UsageError(f"{query.name}: {describe_pg_error(exc)}") from exc
            raise CheckFailed(f"{query.name}: {describe_pg_error(exc)}") from exc
        if cursor.description is None:
            return [], []
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return columns, rows
