"""`agentdb new`: write the next migration pair of the project's own set."""

from __future__ import annotations

import click

from .. import scaffold
from .options import Settings, project_options


@click.command(name="new")
@click.argument("name")
@click.option("--table", default=None, metavar="SCHEMA.TABLE",
              help="Write a create-table migration with the house conventions.")
@click.option("--tenant-scoped", is_flag=True,
              help="With --table: tenant_id in the table, its primary key and a foreign key to core.tenants.")
@project_options
def new(name: str, table: str | None, tenant_scoped: bool, settings: Settings) -> None:
    """Write the next NNNN_NAME.sql and NNNN_NAME.rollback.sql in the project's migrations/
    (files that pass `agentdb lint` as written)."""
    for path in scaffold.new_migration(settings.project(), name, table=table, tenant_scoped=tenant_scoped):
        click.echo(str(path))


COMMANDS = [new]
