"""`agentdb lint`: sqlfluff over every SQL file with the house style (.sqlfluff), and
migration safety rules in the spirit of squawk for statements that touch tables that
already exist (a table created in the same migration is new, so nothing can block on it).

Waive a rule for one statement with a comment inside it that gives the reason:
    -- lint: allow S001 the table is empty at this point in every deployment
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .config import Project
from .errors import UsageError
from .project import core_root
from .headers import is_transactional


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    rule: str
    message: str
    fix: str


SAFETY_RULES = {
    "S001": ("create index on an existing table without concurrently: it blocks writes for the whole build",
             "create index concurrently, alone in a '-- transactional: false' migration"),
    "S002": ("a not null column without a default on an existing table: fails, or rewrites it, when it has rows",
             "add the column nullable (or with a default), backfill, then set not null"),
    "S003": ("a foreign key or check added to an existing table without not valid: it scans the table holding a lock",
             "add it not valid, then validate constraint in a later migration"),
    "S004": ("changing a column's type rewrites the table and blocks reads and writes",
             "add a new column, backfill, switch readers, drop the old one"),
    "S005": ("concurrently inside a transactional migration: PostgreSQL refuses it",
             "put it alone in a migration headed '-- transactional: false'"),
}

WAIVER = re.compile(r"--[ \t]*lint:[ \t]*allow[ \t]+(S\d{3})[ \t]+(\S.*)$", re.I | re.M)


def _statements(text: str) -> list[tuple[int, str]]:
    """(first line, statement) pairs, split the way yoyo splits migrations."""
    import sqlparse

    out = []
    position = 0
    for statement in sqlparse.split(text):
        if not statement.strip():
            continue
        index = text.find(statement, position)
        index = position if index < 0 else index
        lead = re.match(r"(?:\s*--[^\n]*\n)*\s*", statement)  # leading comments and blank lines
        code_start = index + (lead.end() if lead else 0)
        position = index + len(statement)
        out.append((text.count("\n", 0, code_start) + 1, statement))
    return out


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def safety(path: Path) -> list[Finding]:
    text = path.read_text(encoding="utf-8")
    transactional = is_transactional(text)
    created: set[str] = set()
    findings: list[Finding] = []
    for line, statement in _statements(text):
        code = " ".join(_strip_comments(statement).lower().split())
        waived = {m.group(1).upper() for m in WAIVER.finditer(statement)}
        hits: list[str] = []
        match = re.match(r"create table (?:if not exists )?([a-z0-9_.]+)", code)
        if match:
            created.add(match.group(1))
        index = re.match(r"create (?:unique )?index (concurrently )?(?:if not exists )?\S* ?on (?:only )?([a-z0-9_.]+)", code)
        if index and index.group(2) not in created:
            if not index.group(1):
                hits.append("S001")
        if "concurrently" in code and transactional:
            hits.append("S005")
        alter = re.match(r"alter table (?:only )?(?:if exists )?([a-z0-9_.]+) (.*)", code)
        if alter and alter.group(1) not in created:
            action = alter.group(2)
            if re.search(r"add column [a-z0-9_]+ [^,]*not null", action) and " default " not in action:
                hits.append("S002")
            if re.search(r"add constraint \S+ (foreign key|check)", action) and "not valid" not in action:
                hits.append("S003")
            if re.search(r"alter column \S+ (set data )?type ", action):
                hits.append("S004")
        for rule in hits:
            if rule not in waived:
                message, fix = SAFETY_RULES[rule]
                findings.append(Finding(str(path), line, rule, message, fix))
    return findings


@functools.cache
def _linter(directory: Path):
    """sqlfluff with the .sqlfluff files from the directory upwards (demo/ has its own), or
    agentdb's own house style when there is none."""
    try:
        from sqlfluff.core import FluffConfig, Linter
    except ImportError as exc:
        raise UsageError("agentdb lint needs sqlfluff: pip install sqlfluff (or agentdb[dev])") from exc

    if not any((d / ".sqlfluff").is_file() for d in (directory, *directory.parents)):
        directory = core_root()
    return Linter(config=FluffConfig.from_path(str(directory)))


def style(paths: list[Path], root: Path) -> list[Finding]:
    """sqlfluff with the repository's .sqlfluff; named-query placeholders (:name) are
    replaced by null first, on the same lines, so positions stay true."""
    from .queries import _scan

    findings = []
    for path in paths:
        linter = _linter(path.parent.resolve())
        text = path.read_text(encoding="utf-8")
        text = "".join("null" if kind == "param" else piece for kind, piece in _scan(text))
        for violation in linter.lint_string(text, fname=str(path)).get_violations():
            findings.append(Finding(str(path), violation.line_no, violation.rule_code(), violation.desc(),
                                    "agentdb lint --fix, or edit by hand"))
    return findings


def _migration_files(project: Project) -> list[Path]:
    """agentdb's migrations and those of the compatibility packs (compat/<name>/migrations)."""
    packs = sorted(project.root.glob("compat/*/migrations/*.sql")) if project.root else []
    return sorted(project.migrations_dir.glob("*.sql")) + packs


def sql_files(project: Project) -> list[Path]:
    """The project's own set's SQL files, the compatibility packs' (compat/<name>/) and the demo data, in agentdb's own tree."""
    core = project.own_set().is_core
    demo = sorted((project.own_set().root / "demo").glob("*.sql")) if core else []
    packs = sorted(project.own_set().root.glob("compat/*/sql/**/*.sql")) if core else []
    return _migration_files(project) + sorted(project.sql_dir.rglob("*.sql")) + packs + demo


def lint(project: Project) -> list[Finding]:
    files = sql_files(project)
    findings = style(files, project.root)
    for path in _migration_files(project):
        if not path.name.endswith(".rollback.sql"):
            findings += safety(path)
    return sorted(findings, key=lambda f: (f.file, f.line, f.rule))


def fix(project: Project) -> None:
    """Let sqlfluff fix what it can (files without named-query placeholders)."""
    for path in sql_files(project):
        linter = _linter(path.parent.resolve())
        text = path.read_text(encoding="utf-8")
        if ":" in text and path.parent.name in ("queries", "verify"):
            continue
        fixed = linter.lint_string(text, fname=str(path), fix=True).fix_string()[0]
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")
