"""`agentdb query NAME -p key=value …`: run one named query."""

from __future__ import annotations

import click

from .. import db, queries
from .options import Settings, connection_options, output_options
from .output import emit


@click.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value; repeat for more. Arrays take comma-separated values.")
@connection_options
@output_options
def query(name: str, params: tuple[str, ...], settings: Settings, fmt: str) -> None:
    """Run the named query NAME from sql/queries/ of any migration set (see `agentdb queries`).

    Values are bound, never spliced into the SQL; a missing or ill-typed parameter
    exits 2 naming it. Queries run read-only unless their header says `-- mode: write`.
    With --tenant, the query runs as that tenant (row-level security) and the tenant fills
    its `tenant` parameter.
    """
    named = queries.find(settings.project().query_dirs(), name)
    given = queries.parse_pairs(params)
    with db.connect(settings.url(), autocommit=True) as conn:
        columns, rows = queries.run(conn, named, given, settings.tenant)
    emit(rows, fmt, columns)


COMMANDS = [query]
