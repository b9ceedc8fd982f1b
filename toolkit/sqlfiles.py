"""The project's SQL files as the runner sees them: versioned migrations (read by
yoyo-migrations) and repeatable objects (one function or view per file)."""

from __future__ import annotations

import graphlib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import headers
from .errors import UsageError


def read_sql(path: Path) -> str:
    """A SQL file's text. One that is not UTF-8 is bad input: named, with the line and
    the byte, before anything runs."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UsageError(f"{path}: line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 (save the file as UTF-8)"
                         ) from None

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+$")
REPEATABLE_NAME = re.compile(r"^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$")


def checksum(path: Path) -> str:
    """sha256 of the file's bytes: what is recorded when it is applied."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class MigrationFile:
    id: str
    path: Path
    rollback_path: Path | None
    checksum: str
    transactional: bool
    requires: tuple[str, ...]
    statements: tuple[str, ...]
    yoyo: object = field(default=None, compare=False, repr=False)  # yoyo's Migration, for its bookkeeping

    @property
    def sql(self) -> str:
        return read_sql(self.path)

    @property
    def rollback_sql(self) -> str | None:
        return read_sql(self.rollback_path) if self.rollback_path else None

    @property
    def rollback_transactional(self) -> bool:
        return headers.is_transactional(self.rollback_sql or "")


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
        header = headers.read(read_sql(path))  # first: a file that is not UTF-8 is named
        rollback_path = path.with_name(f"{migration.id}.rollback.sql")
        if rollback_path.is_file():
            read_sql(rollback_path)
        _directives, _comment, statements = read_sql_migration(str(path))
        transactional = header.transactional
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
                requires=header.words("requires"),
                statements=tuple(statements),
                yoyo=migration,
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
        return read_sql(self.path)


def load_repeatables(sql_dir: Path, outside: bool = False) -> dict[str, RepeatableFile]:
    """Every function and view under sql/. With `outside`, a `-- depends:` on an object
    that has no file here names one from an earlier set (agentdb's), applied before."""
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
            depends = headers.read(read_sql(path)).words("depends")
            found[name] = RepeatableFile(name, kind, path, checksum(path), depends)
    for name, obj in list(found.items()):
        unknown = [dep for dep in obj.depends if dep not in found]
        if unknown and not outside:
            raise UsageError(f"{obj.path.name}: depends on {unknown[0]}, which has no file under sql/")
        if unknown:
            found[name] = RepeatableFile(name, obj.kind, obj.path, obj.checksum,
                                         tuple(d for d in obj.depends if d in found))
    return found


def dependency_order(objects: dict[str, RepeatableFile], names: set[str]) -> list[str]:
    """`names` and everything they depend on, dependencies first (graphlib); among
    objects ready at the same time, by name, so the order is the same on every run."""
    wanted: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name not in wanted:
            wanted.add(name)
            stack.extend(objects[name].depends)
    sorter = graphlib.TopologicalSorter({name: objects[name].depends for name in wanted})
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = sorted(set(exc.args[1]))
        raise UsageError(f"repeatable objects depend on each other in a cycle: {', '.join(cycle)}") from exc
    ordered: list[str] = []
    ready: list[str] = []
    while sorter.is_active():
        ready = sorted([*ready, *sorter.get_ready()])
        ordered.append(ready.pop(0))
        sorter.done(ordered[-1])
    return ordered
