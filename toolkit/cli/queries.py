"""`agentdb query NAME -p key=value …` and `agentdb queries`."""

from __future__ import annotations

import click

from .. import db, queries
from ..errors import UsageError
from .options import Settings, connection_options, output_options
from .output import emit


def _pairs(values: tuple[str, ...]) -> dict[str, str]:
    given: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-p {item!r}: give parameters as key=value")
        given[key.strip()] = value
    return given


@click.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value; repeat for more. Arrays take comma-separated values.")
@connection_options
@output_options
def query(name: str, params: tuple[str, ...], settings: Settings, fmt: str) -> None:
    """Run the named query NAME from sql/queries/ (see `agentdb queries`).

    Values are bound, never spliced into the SQL; a missing or ill-typed parameter
    exits 2 naming it. Queries run read-only unless their header says `-- mode: write`.
    With --tenant, the query runs as that tenant (row-level security) and the tenant fills
    its `tenant` parameter.
    """
    tenant = settings.tenant
    named = queries.find(settings.project().query_dirs(), name)
    given = _pairs(params)
    with db.connect(settings.url(), autocommit=True) as conn:
        columns, rows = queries.run(conn, named, given, tenant)
    emit(rows, fmt, columns)


@click.command(name="queries")
@connection_options
@output_options
def list_queries(settings: Settings, fmt: str) -> None:
    """List the named queries with their parameters and descriptions."""
    found = queries.load_all(settings.project().query_dirs())
    rows = [
        {"name": q.name, "parameters": ", ".join(p.signature() for p in q.params), "description": q.description}
        for q in found.values()
    ]
    emit(rows, fmt, ["name", "parameters", "description"])


COMMANDS = [query, list_queries]
