"""`agentdb migrate`, `rollback`, `status` and `new`."""

from __future__ import annotations

import re

import click

from .. import db, migrator, scaffold
from ..migrator import Step
from .options import Settings, connection_options, output_options
from .output import emit, emit_document

DURATION = re.compile(r"^\d+\s*(ms|s|min|h)?$")


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


def _progress(verb: str):
    def report(step: Step) -> None:
        where = "" if step.migration_set == "agentdb" else f" (set {step.migration_set})"
        click.echo(f"{verb} {step.kind} {step.name}{where}", err=True)

    return report


def _plan_rows(steps: list[Step]) -> list[dict]:
    return [
        {"set": s.migration_set, "kind": s.kind, "name": s.name, "action": s.action, "transactional": s.transactional, "file": s.path.name}
        for s in steps
    ]


@click.command()
@connection_options
@run_options
@output_options
def migrate(settings: Settings, dry_run: bool, lock_wait: float, lock_timeout: str, statement_timeout: str,
            fmt: str) -> None:
    """Apply pending migrations and changed repeatable objects, in one transaction.

    Refuses (exit 1, naming the file) while an applied migration's file has changed.
    Concurrent runs queue on an advisory lock; each statement runs under lock_timeout
    and statement_timeout. A failure leaves the database exactly as it was.
    """
    url = settings.url()
    configured = settings.project().settings()
    roles = {kind: configured[f"{kind}_role"] for kind in ("owner", "app", "readonly") if configured.get(f"{kind}_role")}
    run = migrator.Settings(lock_wait=lock_wait, lock_timeout=lock_timeout, statement_timeout=statement_timeout,
                            roles=roles)
    steps = migrator.migrate(url, settings.project(), run, dry_run=dry_run,
                             on_step=None if dry_run else _progress("applying"))
    if dry_run or fmt != "table":
        emit(_plan_rows(steps), fmt, ["kind", "name", "action", "transactional", "file", "set"])
    if fmt == "table":
        verb = "would apply" if dry_run else "applied"
        click.echo(f"{verb} {len(steps)} step(s)" if steps else "nothing to apply: the database is current", err=True)


@click.command()
@connection_options
@run_options
@output_options
@click.option("--steps", type=click.IntRange(min=1), default=None, help="Undo the last N applied migrations.")
@click.option("--to", "to", default=None, metavar="ID",
              help="Undo every migration applied after ID (a full id or its number, e.g. 0003).")
@click.option("--all", "everything", is_flag=True, help="Undo every applied migration.")
@click.option("--set", "set_name", default=None, metavar="NAME",
              help="The migration set to roll back (default: the project's own; agentdb in its checkout).")
def rollback(settings: Settings, dry_run: bool, lock_wait: float, lock_timeout: str, statement_timeout: str,
             fmt: str, steps: int | None, to: str | None, everything: bool, set_name: str | None) -> None:
    """Undo applied migrations of one set, newest first, with their .rollback.sql files."""
    url = settings.url()
    run = migrator.Settings(lock_wait=lock_wait, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
    done = migrator.rollback(url, settings.project(), run, steps=steps, to=to, everything=everything,
                             dry_run=dry_run, on_step=None if dry_run else _progress("rolling back"),
                             set_name=set_name)
    if dry_run or fmt != "table":
        emit(_plan_rows(done), fmt, ["kind", "name", "action", "transactional", "file", "set"])
    if fmt == "table":
        verb = "would roll back" if dry_run else "rolled back"
        click.echo(f"{verb} {len(done)} migration(s)", err=True)


@click.command()
@connection_options
@output_options
def status(settings: Settings, fmt: str) -> None:
    """Which database is used (and why), and each migration and repeatable object:
    applied / pending / changed (drift) / missing file; current / pending / changed."""
    target = settings.target()
    url = settings.url()
    with db.connect(url) as conn:
        version = db.server_version(conn)
        vector = conn.execute("select extversion from pg_extension where extname = 'vector'").fetchone()
        states = migrator.read_states(conn, settings.project())
    rows = migrator.status_rows(states)
    summary = migrator.summary(rows)
    if fmt == "table":
        click.echo(f"database:   {db.redact(url)}")
        click.echo(f"chosen by:  {target.source}")
        click.echo(f"server:     PostgreSQL {version}, pgvector {vector[0] if vector else 'not installed'}")
        click.echo()
        emit(rows, fmt, ["kind", "name", "state", "applied_at", "set"])
        click.echo()
        click.echo(summary)
    elif fmt == "json":
        emit_document({"database": db.redact(url), "source": target.source, "server_version": version,
                       "pgvector": vector[0] if vector else None, "summary": summary, "objects": rows}, fmt)
    else:
        emit(rows, fmt, ["kind", "name", "state", "applied_at", "set"])


@click.command(name="new")
@click.argument("name")
@click.option("--table", default=None, metavar="SCHEMA.TABLE",
              help="Write a create-table migration with the house conventions.")
@click.option("--tenant-scoped", is_flag=True,
              help="With --table: tenant_id in the table, its primary key and a foreign key to core.tenants.")
@click.option("--project-dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Directory holding migrations/ (default: found from the working directory).")
def new(name: str, table: str | None, tenant_scoped: bool, project_dir: str | None) -> None:
    """Write the next NNNN_NAME.sql and NNNN_NAME.rollback.sql in migrations/."""
    from ..config import find_project

    written = scaffold.new_migration(find_project(project_dir), name, table=table, tenant_scoped=tenant_scoped)
    for path in written:
        click.echo(str(path))


COMMANDS = [migrate, rollback, status, new]
