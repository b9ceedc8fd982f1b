"""`agentdb listen [CHANNEL…]`: print events as JSON lines."""

from __future__ import annotations

import sys

import click

from .. import listen as listener
from ..errors import UsageError
from .options import Settings, connection_options


@click.command()
@click.argument("channels", nargs=-1)
@click.option("--seconds", type=click.FloatRange(min=0.1), default=None, hidden=True,
              help="Stop after this many seconds (for tests and scripts).")
@connection_options
def listen(channels, seconds, settings: Settings):
    """Print events as JSON lines until interrupted (Ctrl-C exits cleanly).

    CHANNELS default to every agentdb channel (docs/events.md); --tenant keeps only that
    tenant's events. Reconnects when the server restarts.
    """
    unknown = [c for c in channels if c not in listener.CHANNELS]
    if unknown:
        raise UsageError(f"unknown channel {unknown[0]!r} (channels: {', '.join(listener.CHANNELS)})")
    url = settings.url()
    tenant_id = listener.tenant_id(url, settings.tenant)
    try:
        listener.follow(url, channels or listener.CHANNELS, tenant_id,
                        emit=lambda event: listener.emit_json_line(event, lambda line: (click.echo(line),
                                                                                         sys.stdout.flush())),
                        say=lambda line: click.echo(line, err=True), stop_after=seconds)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


COMMANDS = [listen]
