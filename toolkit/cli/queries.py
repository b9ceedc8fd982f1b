"""`agentdb queries`: list the named queries with their parameters."""

from __future__ import annotations

import click

from .. import queries
from .options import Settings, connection_options, output_options
from .output import emit


@click.command(name="queries")
@connection_options
@output_options
def list_queries(settings: Settings, fmt: str) -> None:
    """List the named queries of every migration set with their parameters and descriptions."""
    found = queries.load_all(settings.project().query_dirs())
    rows = [
        {"name": q.name, "parameters": ", ".join(p.signature() for p in q.params), "description": q.description}
        for q in found.values()
    ]
    emit(rows, fmt, ["name", "parameters", "description"])


COMMANDS = [list_queries]
