"""`agentdb docs`: write docs/schema.md and docs/queries.md."""

from __future__ import annotations

import click

from .. import db, schemadoc
from .options import Settings, connection_options


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the files differ from what would be written.")
@connection_options
def docs(check: bool, settings: Settings):
    """Write docs/schema.md from the live catalog and docs/queries.md from the query headers."""
    project = settings.project()
    with db.connect(settings.url()) as conn:
        wanted = {project.root / "docs" / "schema.md": schemadoc.schema_markdown(conn),
                  project.root / "docs" / "queries.md": schemadoc.queries_markdown(project)}
    stale = [path for path, text in wanted.items() if not path.is_file() or path.read_text() != text]
    if check:
        for path in stale:
            click.echo(f"{path.relative_to(project.root)} is out of date: run agentdb docs", err=True)
        if stale:
            raise click.exceptions.Exit(1)
        return
    for path, text in wanted.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        click.echo(str(path.relative_to(project.root)))


COMMANDS = [docs]


@click.command()
@connection_options
def citus(settings: Settings):
    """Print the Citus calls that distribute this schema by tenant (from the catalog)."""
    with db.connect(settings.url()) as conn:
        for (statement,) in conn.execute("select statement from ops.citus_distribution_plan()"):
            click.echo(statement)


COMMANDS.append(citus)
