"""`agentdb maintain`: partitions, keyword index, BM25 upkeep, retention and analyze."""

from __future__ import annotations

import sys

import click

from .. import db, maintain as upkeep
from .options import Settings, connection_options, output_options
from .output import emit


@click.command()
@click.option("--dry-run", is_flag=True, help="Say what would be done; change nothing.")
@connection_options
@output_options
def maintain(dry_run, settings: Settings, fmt):
    """Partitions, keyword index, BM25 upkeep, retention and analyze: safe from cron.

    Partitions are made ahead per ops.partition_policies (rows that landed in a default
    partition move into their new partition); chunks a bulk load left out of the keyword
    index are indexed, 20,000 per transaction; BM25 term scores are renormalised after
    length drift and empty terms vacuumed; every ops.retention_policies row is applied in
    its own transaction; tables with many changes since their last analyze are analyzed.
    Run it every few minutes. Each step is reported on stderr as it finishes; the steps
    go to stdout at the end (a table, or --format), except a table when stdout and stderr
    are both the terminal, which would show every step twice.
    """
    with db.connect(settings.url(), autocommit=True) as conn:
        steps = upkeep.maintain(conn, dry_run,
                                report=lambda s: click.echo(f"{s.step:13} {s.table}: {s.done}", err=True))
    on_terminal = sys.stdout.isatty() and sys.stderr.isatty()
    if fmt != "table" or not on_terminal:
        emit([s.__dict__ for s in steps], fmt, ["step", "table", "done", "rows"])


COMMANDS = [maintain]
