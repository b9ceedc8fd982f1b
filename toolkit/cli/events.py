"""`agentdb listen` and `agentdb maintain`."""

from __future__ import annotations

import sys

import click

from .. import db, listen as listener, maintain as upkeep
from ..errors import UsageError
from .options import Settings, connection_options, output_options
from .output import emit


@click.command()
@click.argument("channels", nargs=-1)
@click.option("--seconds", type=click.FloatRange(min=0.1), default=None, hidden=True,
              help="Stop after this many seconds (for tests and scripts).")
@connection_options
def listen(channels, seconds, settings: Settings):
    """Print events as JSON lines until interrupted (Ctrl-C exits cleanly).

    CHANNELS default to every agentdb channel (docs/events.md). Reconnects when the
    server restarts.
    """
    unknown = [c for c in channels if c not in listener.CHANNELS]
    if unknown:
        raise UsageError(f"unknown channel {unknown[0]!r} (channels: {', '.join(listener.CHANNELS)})")
    url = settings.url()
    tenant = settings.tenant
    tenant_id = None
    if tenant:
        with db.connect(url) as conn:
            tenant_id = str(conn.execute("select core.resolve_tenant(%s)", (tenant,)).fetchone()[0])
    try:
        listener.follow(url, channels or listener.CHANNELS, tenant_id,
                        emit=lambda event: listener.emit_json_line(event, lambda line: (click.echo(line),
                                                                                         sys.stdout.flush())),
                        say=lambda line: click.echo(line, err=True), stop_after=seconds)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


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
    Run it every few minutes.
    """
    with db.connect(settings.url(), autocommit=True) as conn:
        steps = upkeep.maintain(conn, dry_run,
                                report=lambda s: click.echo(f"{s.step:13} {s.table}: {s.done}", err=True)
                                if fmt == "table" else None)
    emit([s.__dict__ for s in steps], fmt, ["step", "table", "done", "rows"])


COMMANDS = [listen, maintain]
