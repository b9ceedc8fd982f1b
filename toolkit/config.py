"""Where the project's SQL lives and which database to use: one rule, used by every command.

Database URL, first match wins:
  1. --database-url
  2. AGENTDB_DATABASE_URL
  3. DATABASE_URL
  4. database_url in [tool.agentdb] of the project's pyproject.toml
  5. the embedded server (started on demand under AGENTDB_HOME or ./.agentdb)
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

SOURCE_EMBEDDED = "embedded server"


@dataclass(frozen=True)
class Project:
    """A directory that holds migrations/ and sql/ (the repository root, usually)."""

    root: Path

    @property
    def migrations_dir(self) -> Path:
        return self.root / "migrations"

    @property
    def sql_dir(self) -> Path:
        return self.root / "sql"

    @property
    def queries_dir(self) -> Path:
        return self.root / "sql" / "queries"

    def settings(self) -> dict:
        """The [tool.agentdb] table of the project's pyproject.toml ({} when absent)."""
        pyproject = self.root / "pyproject.toml"
        if not pyproject.is_file():
            return {}
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{pyproject}: not valid TOML: {exc}") from exc
        return data.get("tool", {}).get("agentdb", {}) or {}


def find_project(explicit: str | os.PathLike | None = None) -> Project:
    """The project: --project-dir, else AGENTDB_PROJECT_DIR, else the nearest directory
    upwards from the working directory holding migrations/, else this source checkout."""
    given = explicit or os.environ.get("AGENTDB_PROJECT_DIR")
    if given:
        root = Path(given).resolve()
        if not (root / "migrations").is_dir():
            raise UsageError(f"{root}: no migrations/ directory here (check --project-dir / AGENTDB_PROJECT_DIR)")
        return Project(root)
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "migrations").is_dir() and (candidate / "sql").is_dir():
            return Project(candidate)
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "migrations").is_dir():
        return Project(checkout)
    raise UsageError("no agentdb project found: run inside a checkout or set AGENTDB_PROJECT_DIR")


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


def agentdb_home() -> Path:
    """Where the embedded server keeps its data: AGENTDB_HOME, else ./.agentdb."""
    return Path(os.environ.get("AGENTDB_HOME") or Path.cwd() / ".agentdb").resolve()


def default_pg_version() -> int:
    value = os.environ.get("AGENTDB_PG_VERSION", "18")
    if value not in ("16", "18"):
        raise UsageError(f"AGENTDB_PG_VERSION={value}: the embedded server ships 16 and 18")
    return int(value)
