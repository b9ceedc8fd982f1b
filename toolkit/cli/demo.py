"""`agentdb demo`: load the demo data (once) and print a short tour."""

from __future__ import annotations

import click

from .. import db, demo as demo_data, queries, rag
from .options import Settings, connection_options
from .output import render

TOUR = [
    ("work_by_project", {"project": "ikigai", "limit": "4"}, "personal", ["created_at", "role", "content", "tags"]),
    ("agent_statistics", {"agent": "akira-001", "since": "2000-01-01"}, "tokyo-ia", None),
    ("memory_document", {"reference": "#mem-oauth/patterns"}, "personal", ["reference", "title", "version"]),
]


@click.command()
@click.option("--no-tour", is_flag=True, help="Load the data and print nothing else.")
@connection_options
def demo(no_tour: bool, settings: Settings):
    """Load a demo data set touching all five seed systems (once) and print a tour.

    Safe to run again: when the demo tenants exist it loads nothing.
    """
    project = settings.project()
    with db.connect(settings.url()) as conn:
        if demo_data.loaded(conn):
            click.echo("demo data already loaded (nothing changed)", err=True)
        else:
            counts = demo_data.load(conn, project)
            click.echo("demo data loaded: " + ", ".join(f"{n} {t}" for t, n in counts.items()), err=True)
        conn.commit()
        if no_tour:
            return
        for name, params, tenant, columns in TOUR:
            click.echo(f"\n$ agentdb query {name} --tenant {tenant} " + " ".join(f"-p {k}={v}" for k, v in params.items()))
            named = queries.find(project.query_dirs(), name)
            conn.autocommit = True
            cols, rows = queries.run(conn, named, params, tenant)
            conn.autocommit = False
            click.echo(render(rows, "table", columns or cols))
        for text in ("how does the keyword leg rank chunks", "what happens without a tenant"):
            click.echo(f'\n$ agentdb search "{text}" -k 3   (keyword only: no embedder configured)')
            cols, rows = rag.search(conn, "personal", rag.SearchRequest(text, k=3), None)
            click.echo(render(rows, "table", ["score", "found_by", "document", "content"]))


COMMANDS = [demo]
