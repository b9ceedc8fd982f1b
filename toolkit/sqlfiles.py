"""The project's SQL files as the runner sees them: versioned migrations (read by
yoyo-migrations) and repeatable objects (one function or view per file)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")
REPEATABLE_NAME = re.compile(r"^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$")
DIRECTIVE = re.compile(r"^\s*--\s*(transactional|depends|requires)\s*:\s*(.*?)\s*$")


def checksum(path: Path) -> str:
    """sha256 of the file's bytes: what is recorded when it is applied."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def header_directives(text: str) -> dict[str, str]:
    """`-- name: value` directives from the leading comment block of a SQL file."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("--"):
            break
        match = DIRECTIVE.match(line)
        if match:
            key, value = match.groups()
            found[key] = f"{found[key]} {value}".strip() if key in found else value
    return found


def purpose(text: str) -> str:
    """The first comment line that is not a directive: what the file is for."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        if stripped.strip("- ") and not DIRECTIVE.match(line):
            return stripped.lstrip("-").strip()
    return ""


@dataclass(frozen=True)
class MigrationFile:
    id: str
    path: Path
    rollback_path: Path | None
    checksum: str
    transactional: bool
    requires: tuple[str, ...]
    statements: tuple[str, ...]

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def rollback_sql(self) -> str | None:
        return self.rollback_path.read_text(encoding="utf-8") if self.rollback_path else None


def load_migrations(directory: Path) -> list[MigrationFile]:
    """Every migration in id order. yoyo-migrations finds the files, pairs each with its
    .rollback.sql, reads the `-- transactional:` directive and splits the statements."""
    from yoyo import read_migrations
    from yoyo.migrations import read_sql_migration

    if not directory.is_dir():
        raise UsageError(f"{directory}: migrations directory not found")
    result = []
    for migration in read_migrations(str(directory)):
        path = Path(migration.path)
        if path.suffix != ".sql" or not MIGRATION_NAME.match(migration.id):
            raise UsageError(f"{path.name}: migration files are named NNNN_verb_object.sql (lowercase)")
        directives, _comment, statements = read_sql_migration(str(path))
        transactional = directives.get("transactional", "true").strip().lower() != "false"
        if not transactional and len(statements) != 1:
            raise UsageError(
                f"{path.name}: a '-- transactional: false' migration holds exactly one statement "
                f"(found {len(statements)})"
            )
        rollback = path.with_name(f"{migration.id}.rollback.sql")
        result.append(
            MigrationFile(
                id=migration.id,
                path=path,
                rollback_path=rollback if rollback.is_file() else None,
                checksum=checksum(path),
                transactional=transactional,
                requires=tuple(header_directives(path.read_text(encoding="utf-8")).get("requires", "").split()),
                statements=tuple(statements),
            )
        )
    numbers = [m.id[:4] for m in result]
    clashes = sorted({n for n in numbers if numbers.count(n) > 1})
    if clashes:
        raise UsageError(f"two migrations share the number {clashes[0]}: renumber one")
    return sorted(result, key=lambda m: m.id)


@dataclass(frozen=True)
class RepeatableFile:
    """One function or view, `<schema>.<name>.sql`, re-applied when its checksum changes."""

    name: str  # schema.name
    kind: str  # "function" or "view"
    path: Path
    checksum: str
    depends: tuple[str, ...] = field(default=())

    @property
    def schema(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def object_name(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def load_repeatables(sql_dir: Path) -> dict[str, RepeatableFile]:
    found: dict[str, RepeatableFile] = {}
    for kind, sub in (("function", "functions"), ("view", "views")):
        directory = sql_dir / sub
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.sql")):
            name = path.name[: -len(".sql")]
            if not REPEATABLE_NAME.match(name):
                raise UsageError(f"{path}: repeatable objects are named <schema>.<name>.sql")
            if name in found:
                raise UsageError(f"{path}: {name} is defined twice")
            text = path.read_text(encoding="utf-8")
            depends = tuple(header_directives(text).get("depends", "").split())
            found[name] = RepeatableFile(name, kind, path, checksum(path), depends)
    for obj in found.values():
        for dep in obj.depends:
            if dep not in found:
                raise UsageError(f"{obj.path.name}: depends on {dep}, which has no file under sql/")
    return found


def dependency_order(objects: dict[str, RepeatableFile], names: set[str]) -> list[str]:
    """`names` and everything they depend on, dependencies first; ties broken by name,
    so the order is the same on every run."""
    wanted: set[str] = set()

    def collect(name: str) -> None:
        if name in wanted:
            return
        wanted.add(name)
        for dep in objects[name].depends:
            collect(dep)

    for name in names:
        collect(name)
    ordered: list[str] = []
    done: set[str] = set()
    while len(ordered) < len(wanted):
        ready = sorted(n for n in wanted - done if all(d in done for d in objects[n].depends))
        if not ready:
            cycle = sorted(wanted - done)
            raise UsageError(f"repeatable objects depend on each other in a cycle: {', '.join(cycle)}")
        ordered.append(ready[0])
        done.add(ready[0])
    return ordered
