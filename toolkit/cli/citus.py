"""`agentdb citus`: print the Citus calls that distribute this schema by tenant."""

from __future__ import annotations

import click

from .. import citus_plan, db
from .options import Settings, connection_options


@click.command()
@connection_options
def citus(settings: Settings):
    """Print the Citus calls that distribute this schema by tenant (from the catalog)."""
    with db.connect(settings.url()) as conn:
        for statement in citus_plan.statements(conn):
            click.echo(statement)


COMMANDS = [citus]
