"""The project and its migration sets: which directories of SQL files a command uses.

A migration set is a name and a root directory holding `migrations/` and
`sql/{functions,views,queries,verify}`. agentdb's own set ("agentdb") ships in the
package (read in place from a checkout); an application's sets are applied after it,
each with its own bookkeeping, and may use agentdb's objects. A project named
"agentdb" (a fork, a test's copy) holds agentdb's own set.

The project is the directory of the nearest `pyproject.toml` (from the working
directory upwards) with a `[tool.agentdb]` table, or the one --project-dir /
AGENTDB_PROJECT_DIR names. Its sets: `[tool.agentdb] migration_sets = [{name, path}]`,
else by convention the project root itself when it holds migrations/ or sql/, named by
`[tool.agentdb] name` or the `[project] name`.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

CORE_SET = "agentdb"
SET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class MigrationSet:
    name: str
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

    @property
    def verify_dir(self) -> Path:
        return self.root / "sql" / "verify"

    @property
    def is_core(self) -> bool:
        return self.name == CORE_SET


def core_root() -> Path:
    """agentdb's own migrations/ and sql/: the checkout's, read in place (also through an
    editable install), else the copy the wheel carries in toolkit/schema/."""
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "migrations").is_dir() and (checkout / "sql").is_dir():
        return checkout
    return Path(str(importlib.resources.files("toolkit") / "schema"))


def core_set() -> MigrationSet:
    return MigrationSet(CORE_SET, core_root())


def _read_pyproject(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from exc


@dataclass(frozen=True)
class Project:
    """An application (or agentdb's own checkout); root None: no project was found."""

    root: Path | None

    def settings(self) -> dict:
        """The [tool.agentdb] table of the project's pyproject.toml ({} when absent)."""
        if self.root is None or not (self.root / "pyproject.toml").is_file():
            return {}
        return _read_pyproject(self.root / "pyproject.toml").get("tool", {}).get("agentdb", {}) or {}

    def own_sets(self) -> list[MigrationSet]:
        """The sets this project keeps in its own tree (agentdb's checkout: the core set)."""
        if self.root is None:
            return []
        core = core_set()
        if self.root.resolve() == core.root.resolve():
            return [core]
        if self.settings().get("migration_sets") is None and self.default_set_name() == CORE_SET:
            return [MigrationSet(CORE_SET, self.root)]  # a copy of agentdb's own files (tests, a fork)
        declared = self.settings().get("migration_sets")
        if declared is None:
            if not ((self.root / "migrations").is_dir() or (self.root / "sql").is_dir()):
                return []
            declared = [{"name": self.default_set_name(), "path": "."}]
        found = []
        for entry in declared:
            if not isinstance(entry, dict) or "name" not in entry or "path" not in entry:
                raise UsageError("[tool.agentdb] migration_sets: each entry is {name = \"...\", path = \"...\"}")
            name = str(entry["name"])
            if not SET_NAME.match(name) or name == CORE_SET:
                raise UsageError(f"[tool.agentdb] migration set name {name!r}: lowercase snake_case, not 'agentdb'")
            found.append(MigrationSet(name, (self.root / str(entry["path"])).resolve()))
        return found

    def default_set_name(self) -> str:
        given = self.settings().get("name")
        if not given and self.root is not None and (self.root / "pyproject.toml").is_file():
            given = _read_pyproject(self.root / "pyproject.toml").get("project", {}).get("name")
        name = re.sub(r"[^a-z0-9_]+", "_", str(given or self.root.name).lower()).strip("_")
        return name if SET_NAME.match(name) else f"app_{name}"[:40]

    def sets(self) -> list[MigrationSet]:
        """Every set to apply, in order: agentdb's own first."""
        own = self.own_sets()
        return own if own and own[0].is_core else [core_set(), *own]

    def own_set(self) -> MigrationSet:
        """The set `agentdb new` writes to and `agentdb lint` checks."""
        own = self.own_sets()
        if not own:
            raise UsageError("no agentdb project here: run `agentdb init NAME` to make one, or pass --project-dir")
        return own[-1]

    # the project's own set's directories, for callers that work on one set
    @property
    def migrations_dir(self) -> Path:
        return self.own_set().migrations_dir

    @property
    def sql_dir(self) -> Path:
        return self.own_set().sql_dir

    @property
    def queries_dir(self) -> Path:
        return self.own_set().queries_dir

    def query_dirs(self) -> list[Path]:
        return [s.queries_dir for s in self.sets()]


def declares_agentdb(pyproject: Path) -> bool:
    data = _read_pyproject(pyproject)
    return "agentdb" in data.get("tool", {})


def find_project(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Project:
    """--project-dir, else AGENTDB_PROJECT_DIR, else the nearest directory upwards from the
    working directory whose pyproject.toml has a [tool.agentdb] table; else no project."""
    given = explicit or os.environ.get("AGENTDB_PROJECT_DIR")
    if given:
        root = Path(given).resolve()
        pyproject = root / "pyproject.toml"
        if not (root / "migrations").is_dir() and not (pyproject.is_file() and declares_agentdb(pyproject)):
            raise UsageError(f"{root}: not an agentdb project (no pyproject.toml with [tool.agentdb], no migrations/): "
                             "check --project-dir / AGENTDB_PROJECT_DIR")
        return Project(root)
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and declares_agentdb(pyproject):
            return Project(candidate)
    return Project(None)
