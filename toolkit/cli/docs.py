"""`agentdb docs`: write docs/schema.md and docs/queries.md."""

from __future__ import annotations

from pathlib import Path

import click

from .. import db, schemadoc
from .options import Settings, connection_options


@click.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when the files differ from what would be written.")
@connection_options
def docs(check: bool, settings: Settings):
    """Write docs/schema.md from the live catalog and docs/queries.md from the query headers
    (under the project root; outside any project, under the working directory)."""
    project = settings.project()
    root = project.root or Path.cwd()
    with db.connect(settings.url()) as conn:
        wanted = {root / "docs" / "schema.md": schemadoc.schema_markdown(conn),
                  root / "docs" / "queries.md": schemadoc.queries_markdown(project)}
    stale = [path for path, text in wanted.items() if not path.is_file() or path.read_text() != text]
    if check:
        for path in stale:
            click.echo(f"{path.relative_to(root)} is out of date: run agentdb docs", err=True)
        if stale:
            raise click.exceptions.Exit(1)
        return
    for path, text in wanted.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        click.echo(str(path.relative_to(root)))


COMMANDS = [docs]
