"""`agentdb init NAME`: scaffold an application with its own migration set."""

from __future__ import annotations

from pathlib import Path

import click

from .. import init_project


@click.command()
@click.argument("name")
@click.option("--directory", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Where to write the project (default: ./NAME).")
def init(name: str, directory: str | None) -> None:
    """Scaffold NAME/: a pyproject.toml declaring the project ([tool.agentdb]), a sample
    migration (a tenant-scoped table), a function, a named query and a test that uses
    agentdb's pytest plugin. `cd NAME && agentdb migrate` applies agentdb's set, then it."""
    root = Path(directory) if directory else Path(name)
    for path in init_project.init(root, name):
        click.echo(str(path))
    click.echo(f"next: cd {root} && agentdb migrate && pytest", err=True)


COMMANDS = [init]
