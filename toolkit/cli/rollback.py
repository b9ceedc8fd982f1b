"""`agentdb rollback`: undo one migration set's applied migrations with their .rollback.sql files."""

from __future__ import annotations

import click

from .. import migrator
from .options import Settings, connection_options, output_options
from .steps import emit_steps, progress, run_options, run_settings


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
    done = migrator.rollback(settings.url(), settings.project(), run_settings(lock_wait, lock_timeout, statement_timeout),
                             steps=steps, to=to, everything=everything, dry_run=dry_run,
                             on_step=None if dry_run else progress("rolling back"), set_name=set_name)
    emit_steps(done, fmt, dry_run, "rolled back", "would roll back", "migration(s)", "rolled back 0 migration(s)")


COMMANDS = [rollback]
