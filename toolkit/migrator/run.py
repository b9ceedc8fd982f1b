"""The one batching loop that runs steps (applying or undoing): consecutive
transactional steps share one transaction; a `-- transactional: false` step is a
commit point and runs alone in autocommit; any error rolls the open batch back."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

import psycopg

from ..errors import CheckFailed, describe_pg_error
from .plan import Step


@dataclass
class Settings:
    lock_wait: float = 60.0  # seconds to wait for another migrator
    lock_timeout: str = "5s"  # per statement, for table locks
    statement_timeout: str = "10min"
    roles: dict[str, str] = field(default_factory=dict)  # kind -> name ([tool.agentdb] owner_role ...)


def set_timeouts(conn: psycopg.Connection, settings: Settings, local: bool) -> None:
    conn.execute(
        "select set_config('lock_timeout', %s, %s), set_config('statement_timeout', %s, %s)",
        (settings.lock_timeout, local, settings.statement_timeout, local),
    )
    for kind, name in settings.roles.items():  # read by the migration that creates the roles
        conn.execute("select set_config(%s, %s, %s)", (f"agentdb.{kind}_role", name, local))


@contextmanager
def outside_transaction(conn: psycopg.Connection, settings: Settings) -> Iterator[None]:
    conn.autocommit = True
    try:
        set_timeouts(conn, settings, local=False)
        yield
    finally:
        conn.execute("reset lock_timeout; reset statement_timeout")
        conn.autocommit = False


def run_steps(conn: psycopg.Connection, steps: list[Step], settings: Settings, *,
              execute: Callable[[Step], None], record: Callable[[Step, int], None],
              finish: Callable[[], None] = lambda: None,
              on_step: Callable[[Step], None] | None = None) -> None:
    """Run `execute(step)` then `record(step, duration_ms)` for each step, then `finish()`,
    and commit. On a PostgreSQL error: roll back what is open and raise CheckFailed
    naming the step's file."""
    in_batch = False
    current: Step | None = None
    try:
        for step in steps:
            current = step
            if on_step:
                on_step(step)
            started = time.monotonic()
            if step.transactional:
                if not in_batch:
                    set_timeouts(conn, settings, local=True)
                    in_batch = True
                execute(step)
                record(step, int((time.monotonic() - started) * 1000))
                continue
            conn.commit()
            in_batch = False
            with outside_transaction(conn, settings):
                execute(step)
            record(step, int((time.monotonic() - started) * 1000))
            conn.commit()
        if steps:
            finish()
        conn.commit()
    except psycopg.Error as exc:
        conn.rollback()
        raise CheckFailed(describe_pg_error(exc, current.path.name if current else None)) from exc
