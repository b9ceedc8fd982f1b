"""What `migrate` and `rollback` share: their run options and how their steps print."""

from __future__ import annotations

import re

import click

from .. import migrator
from ..migrator import Step
from .output import emit

DURATION = re.compile(r"^\d+\s*(ms|s|min|h)?$")
PLAN_COLUMNS = ["kind", "name", "action", "transactional", "file", "set"]


def _duration(ctx, param, value: str) -> str:
    if not DURATION.match(value.strip()):
        raise click.BadParameter(f"{value!r} is not a duration like 5s, 500ms, 10min or 0 (no limit)")
    return value.strip()


def run_options(func):
    """Options of the commands that change the schema."""
    func = click.option("--statement-timeout", default="10min", show_default=True, callback=_duration,
                        help="statement_timeout for each migration statement.")(func)
    func = click.option("--lock-timeout", default="5s", show_default=True, callback=_duration,
                        help="lock_timeout for each migration statement, so DDL never queues forever "
                             "behind a long transaction.")(func)
    func = click.option("--lock-wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
                        metavar="SECONDS", help="How long to wait for another migrator to finish.")(func)
    func = click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")(func)
    return func


def run_settings(lock_wait: float, lock_timeout: str, statement_timeout: str, roles=None) -> migrator.Settings:
    return migrator.Settings(lock_wait=lock_wait, lock_timeout=lock_timeout, statement_timeout=statement_timeout,
                             roles=roles or {})


def progress(verb: str):
    """A step reporter for stderr: `applying migration 0001_create_schemas`."""

    def report(step: Step) -> None:
        where = "" if step.migration_set == "agentdb" else f" (set {step.migration_set})"
        click.echo(f"{verb} {step.kind} {step.name}{where}", err=True)

    return report


def emit_steps(steps: list[Step], fmt: str, dry_run: bool, verb: str, would: str, noun: str,
               nothing: str) -> None:
    """The plan on stdout (with --dry-run, or for scripts); the one-line report on stderr."""
    if dry_run or fmt != "table":
        emit([{"kind": s.kind, "name": s.name, "action": s.action, "transactional": s.transactional,
               "file": s.path.name, "set": s.migration_set} for s in steps], fmt, PLAN_COLUMNS)
    if fmt == "table":
        click.echo(f"{would if dry_run else verb} {len(steps)} {noun}" if steps else nothing, err=True)
