"""`agentdb new`: write the next migration pair from the Jinja2 templates."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .config import Project
from .errors import UsageError

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME = 100  # the file name stays far below the 255 bytes file systems allow
TABLE = re.compile(r"^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$")

_templates = Environment(
    loader=PackageLoader("toolkit", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def next_number(migrations_dir: Path) -> int:
    numbers = [int(p.name[:4]) for p in migrations_dir.glob("[0-9][0-9][0-9][0-9]_*.sql")]
    return max(numbers, default=0) + 1


def new_migration(project: Project, name: str, *, table: str | None = None, tenant_scoped: bool = False) -> list[Path]:
    if len(name) > MAX_NAME:
        raise UsageError(f"a migration name has at most {MAX_NAME} characters, not {len(name)}")
    if not NAME.match(name):
        raise UsageError(f"{name!r}: migration names are lowercase snake_case, e.g. create_chat_messages")
    if tenant_scoped and not table:
        raise UsageError("--tenant-scoped goes with --table SCHEMA.TABLE")
    context: dict = {"name": name, "tenant_scoped": tenant_scoped}
    if table:
        match = TABLE.match(table)
        if not match:
            raise UsageError(f"{table!r}: give the table as schema.table, lowercase")
        context.update(schema=match.group(1), table=match.group(2))
        if len(f"{context['table']}_tenant_id_fkey") > 63:
            raise UsageError(f"{table}: the name is too long for PostgreSQL's 63-character identifiers")
    directory = project.migrations_dir
    number = next_number(directory)
    migration_id = f"{number:04d}_{name}"
    context["id"] = migration_id
    kind = "table" if table else "plain"
    paths = [directory / f"{migration_id}.sql", directory / f"{migration_id}.rollback.sql"]
    for path, template in zip(paths, (f"{kind}.sql.j2", f"{kind}.rollback.sql.j2")):
        if path.exists():
            raise UsageError(f"{path} exists already")
    for path, template in zip(paths, (f"{kind}.sql.j2", f"{kind}.rollback.sql.j2")):
        path.write_text(_templates.get_template(template).render(**context), encoding="utf-8")
    return paths
