"""`agentdb init NAME`: scaffold an application project with its own migration set."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .errors import UsageError

PROJECT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,38}$")

_templates = Environment(loader=PackageLoader("toolkit", "templates/init"), undefined=StrictUndefined,
                         keep_trailing_newline=True)

# file written -> template
FILES = {
    "pyproject.toml": "pyproject.toml.j2",
    "README.md": "README.md.j2",
    ".gitignore": "gitignore.j2",
    "migrations/0001_create_notes.sql": "migration.sql.j2",
    "migrations/0001_create_notes.rollback.sql": "migration.rollback.sql.j2",
    "sql/functions/{schema}.add_note.sql": "function.sql.j2",
    "sql/queries/{schema}_notes.sql": "query.sql.j2",
    "tests/test_{schema}.py": "test.py.j2",
}


def init(directory: Path, name: str | None = None) -> list[Path]:
    """Write the project into `directory` (made if missing; must hold none of the files)."""
    name = name or directory.name
    if not PROJECT_NAME.match(name):
        raise UsageError(f"{name!r}: a project name is lowercase letters, digits, - and _ (e.g. demo-app)")
    set_name = name.replace("-", "_")
    if set_name == "agentdb":
        raise UsageError("'agentdb' is agentdb's own migration set: choose another name")
    context = {"name": name, "set_name": set_name, "schema": set_name}
    targets = {directory / path.format(**context): template for path, template in FILES.items()}
    existing = [p for p in targets if p.exists()]
    if existing:
        raise UsageError(f"{existing[0]} exists already: init writes a new project (nothing was written)")
    written = []
    for path, template in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_templates.get_template(template).render(**context), encoding="utf-8")
        written.append(path)
    return written
