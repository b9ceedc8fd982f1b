"""`agentdb migrate --rehearse`: run the pending plan statement by statement inside one
transaction on the target, measure what each statement locks, and roll everything back.

After each statement the session's own relation locks are read from pg_locks (the ones
it did not hold before are that statement's), with the relation's size, the statement's
duration and the rows it touched; only relations that existed before the run count (one
the run made blocks nobody). A lock taken inside the migration transaction is held
until it ends, so its hold time runs from its statement's start to the end of the plan
(or the next commit point). A lock is flagged when it blocks writers (SHARE, SHARE ROW
EXCLUSIVE, EXCLUSIVE, ACCESS EXCLUSIVE) on a table of at least `max_size` bytes or is
held at least `max_held_ms`. On the target, a `-- transactional: false` statement cannot
be rolled back, so it is listed, not run; with `copy` the plan runs on a `create database
… template` copy of the target instead, such statements run too (after the batch before
them commits, as in migrate) and their locks are sampled from a second connection.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import psycopg

from . import db, lockwatch, migrator, scratch
from .project import Project
from .errors import CheckFailed, describe_pg_error

STRENGTH = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
            "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
BLOCKING = set(STRENGTH[4:])

ADVICE = [
    (re.compile(r"\bcreate\s+(unique\s+)?index\b(?!\s+concurrently)", re.I),
     "create index concurrently, alone in a `-- transactional: false` migration"),
    (re.compile(r"\badd\s+(constraint\s+\S+\s+)?(foreign\s+key|check)\b", re.I),
     "add the constraint `not valid`, then `validate constraint` in a later migration"),
    (re.compile(r"\bset\s+not\s+null\b", re.I),
     "add `check (col is not null) not valid`, `validate constraint` it, then `set not null`"),
    (re.compile(r"\balter\s+column\s+\S+\s+(set\s+data\s+)?type\b", re.I),
     "add a new column, fill it with a batched backfill (ops.backfill), then switch to it"),
    (re.compile(r"\badd\s+column\b.*\bdefault\b", re.I | re.S),
     "add the column without a default, fill it with a batched backfill (ops.backfill), then set the default"),
    (re.compile(r"^\s*(update|delete)\b", re.I),
     "a batched backfill (ops.backfill): short transactions of n rows each"),
]
GENERIC = "split the statement into a migration of its own and keep its lock short (lock_timeout bounds the wait)"


@dataclass
class Lock:
    relation: str
    mode: str
    kind: str
    size: int
    started: float  # seconds from the start of the plan
    held_ms: float = 0.0


@dataclass
class Statement:
    step: str
    number: int
    sql: str
    ms: float = 0.0
    rows: int | None = None
    rehearsed: bool = True
    locks: list[Lock] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    advice: str = ""


def readable_mode(mode: str) -> str:
    """AccessExclusiveLock -> ACCESS EXCLUSIVE."""
    return " ".join(re.findall(r"[A-Z][a-z]+", mode.removesuffix("Lock"))).upper()


def advice_for(sql_text: str) -> str:
    for pattern, advice in ADVICE:
        if pattern.search(sql_text):
            return advice
    return GENERIC


def rehearse(url: str, project: Project, settings: migrator.Settings, *, max_size: int, max_held_ms: float,
             copy: bool = False, on_statement=None) -> list[Statement]:
    """Rehearse the pending plan and roll it back; one report per statement. On the target
    (under the migration lock), or with `copy` on a `create database … template` copy of
    it, where `-- transactional: false` statements run too, their locks sampled."""
    if not copy:
        with migrator.migration_lock(url, settings.lock_wait):
            return _rehearse_on(url, project, settings, max_size, max_held_ms, False, on_statement)
    with db.connect(url) as conn:
        name = conn.info.dbname
    with scratch.scratch_database(url, "rehearse", template=name) as work:
        return _rehearse_on(work, project, settings, max_size, max_held_ms, True, on_statement)


def _begin(conn: psycopg.Connection, settings: migrator.Settings) -> None:
    conn.execute("select set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)",
                 (settings.lock_timeout, settings.statement_timeout))
    for kind, name in settings.roles.items():
        conn.execute("select set_config(%s, %s, true)", (f"agentdb.{kind}_role", name))


def _rehearse_on(url: str, project: Project, settings: migrator.Settings, max_size: int, max_held_ms: float,
                 outside: bool, on_statement) -> list[Statement]:
    reports: list[Statement] = []
    with db.connect(url) as conn:
        pid = conn.info.backend_pid
        states = [migrator.read_state(conn, s) for s in project.sets()]
        steps = [(state, step) for state in states for step in migrator.plan(state)]
        existing = sorted(r[0] for r in conn.execute("select oid from pg_catalog.pg_class"))
        _begin(conn, settings)
        held = {_key(r) for r in lockwatch.held(conn, pid, existing)}
        batch: list[Lock] = []  # locks the open transaction holds: they end when it ends
        origin = time.monotonic()
        try:
            for state, step in steps:
                if step.kind == "migration":
                    texts = list(next(m for m in state.migrations if m.id == step.name).statements)
                else:
                    texts = [state.repeatables[step.name].sql]
                for number, text in enumerate(texts, start=1):
                    report = Statement(step.name, number, text.strip())
                    reports.append(report)
                    if not step.transactional and not outside:
                        report.rehearsed = False
                        continue
                    started = time.monotonic()
                    if step.transactional:
                        cursor = conn.execute(text)
                        new = [r for r in lockwatch.held(conn, pid, existing) if _key(r) not in held]
                        report.locks = [_lock(r, started - origin) for r in new]
                        held |= {_key(r) for r in new}
                        batch += report.locks
                    else:  # a commit point, as in migrate: the batch before it ends here
                        _end(batch, time.monotonic() - origin)
                        conn.commit()
                        conn.autocommit = True
                        with lockwatch.LockWatch(url, pid, existing) as watch:
                            cursor = conn.execute(text)
                        conn.autocommit = False
                        report.locks = [_lock(row, first - origin, (last - first) * 1000)
                                        for row, first, last in watch.seen.values()]
                        _begin(conn, settings)
                        held, batch = set(), []
                    report.ms = (time.monotonic() - started) * 1000
                    report.rows = cursor.rowcount if cursor.rowcount >= 0 else None
                    report.locks = _strongest(report.locks)
                    if on_statement:
                        on_statement(report)
            if steps and conn.execute("select to_regprocedure('ops.secure_objects()') is not null").fetchone()[0]:
                report = Statement("(secure objects)", 1, "select count(*) from ops.secure_objects()")
                started = time.monotonic()
                conn.execute(report.sql)
                report.ms = (time.monotonic() - started) * 1000
                report.locks = [_lock(r, started - origin) for r in lockwatch.held(conn, pid, existing)
                                if _key(r) not in held]
                batch += report.locks
                reports.append(report)
        except psycopg.Error as exc:
            conn.rollback()
            raise CheckFailed("rehearsal stopped: " + describe_pg_error(exc, reports[-1].step if reports else None)) \
                from exc
        _end(batch, time.monotonic() - origin)
        conn.rollback()
    for report in reports:
        _judge(report, max_size, max_held_ms)
    return reports


def _end(locks: list[Lock], at: float) -> None:
    for lock in locks:
        lock.held_ms = (at - lock.started) * 1000


def _strongest(locks: list[Lock]) -> list[Lock]:
    """One lock per relation: the strongest mode this statement took on it."""
    best: dict[str, Lock] = {}
    for lock in locks:
        if lock.relation not in best or _rank(lock.mode) > _rank(best[lock.relation].mode):
            best[lock.relation] = lock
    return list(best.values())


def _rank(mode: str) -> int:
    return STRENGTH.index(mode) if mode in STRENGTH else -1


def _key(row) -> tuple[int, str]:
    return (row[0], row[1])


def _lock(row, started: float, held_ms: float = 0.0) -> Lock:
    return Lock(row[2], row[1], row[3], int(row[4] or 0), started, held_ms)


def _judge(report: Statement, max_size: int, max_held_ms: float) -> None:
    for lock in report.locks:
        if lock.mode not in BLOCKING or lock.kind not in ("r", "p", "m"):
            continue
        reasons = []
        if lock.size >= max_size:
            reasons.append(f"size {_size(lock.size)}")
        if lock.held_ms >= max_held_ms:
            reasons.append(f"held {lock.held_ms / 1000:.2f}s")
        if reasons:
            report.flags.append(f"{readable_mode(lock.mode)} on {lock.relation} ({', '.join(reasons)})")
    if report.flags:
        report.advice = advice_for(report.sql)


def _size(size: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} TB"


def describe_locks(report: Statement) -> str:
    shown = [f"{readable_mode(lk.mode)} {lk.relation} ({_size(lk.size)}, {lk.held_ms / 1000:.2f}s)"
             for lk in report.locks if lk.kind in ("r", "p", "m")]
    return "; ".join(shown)
