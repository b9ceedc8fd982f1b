"""Which database a command uses: one rule, used by every command.

Database URL, first match wins:
  1. --database-url
  2. AGENTDB_DATABASE_URL
  3. DATABASE_URL
  4. database_url in [tool.agentdb] of the project's pyproject.toml
  5. the embedded server (started on demand under AGENTDB_HOME, else <project root>/.agentdb;
     with neither, nothing is started and the command says what to do)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .project import Project, find_project  # noqa: F401  (the project rule lives in project.py)

SOURCE_EMBEDDED = "embedded server"


@dataclass(frozen=True)
class DatabaseTarget:
    """A database URL and the rule that chose it (None url: the embedded server)."""

    url: str | None
    source: str


def resolve_database(option_url: str | None, project: Project | None) -> DatabaseTarget:
    if option_url:
        return DatabaseTarget(option_url, "--database-url")
    for variable in ("AGENTDB_DATABASE_URL", "DATABASE_URL"):
        if os.environ.get(variable):
            return DatabaseTarget(os.environ[variable], variable)
    if project is not None:
        url = project.settings().get("database_url")
        if url:
            return DatabaseTarget(str(url), "[tool.agentdb] in pyproject.toml")
    return DatabaseTarget(None, SOURCE_EMBEDDED)


NO_HOME = ("no agentdb project here (no pyproject.toml with a [tool.agentdb] table in this directory or "
           "above) and no database URL: run `agentdb init NAME` to make a project, pass --database-url "
           "URL, or set AGENTDB_HOME to a directory for the embedded server's data")


def agentdb_home(project: Project | None = None) -> Path:
    """Where the embedded server keeps its data: AGENTDB_HOME, else the project root's
    .agentdb/ (never the working directory's)."""
    if os.environ.get("AGENTDB_HOME"):
        return Path(os.environ["AGENTDB_HOME"]).resolve()
    if project is None:
        project = find_project()
    if project.root is None:
        raise UsageError(NO_HOME)
    return (project.root / ".agentdb").resolve()


def default_pg_version() -> int:
    value = os.environ.get("AGENTDB_PG_VERSION", "18")
    if value not in ("16", "18"):
        raise UsageError(f"AGENTDB_PG_VERSION={value}: the embedded server ships 16 and 18")
    return int(value)
