"""`agentdb server start|stop|status|url`: the embedded PostgreSQL."""

from __future__ import annotations

import click

from .. import config, server as embedded
from .options import Settings
from .output import emit

pg_version_option = click.option(
    "--pg-version", type=click.Choice(["16", "18"]), default=None,
    help="PostgreSQL major version (default 18, or AGENTDB_PG_VERSION).")


def _home():
    """The data folder of the project (AGENTDB_HOME, else <project root>/.agentdb)."""
    return config.agentdb_home(click.get_current_context().ensure_object(Settings).project())


def _version(value: str | None) -> int:
    return int(value) if value else config.default_pg_version()


def _row(state: embedded.ServerState) -> dict:
    return {
        "version": state.version,
        "running": state.running,
        "pid": state.pid,
        "data_dir": str(state.data_dir),
        "url": state.url,
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def server() -> None:
    """The embedded PostgreSQL with pgvector (data under AGENTDB_HOME or ./.agentdb)."""


@server.command()
@pg_version_option
def start(pg_version: str | None) -> None:
    """Start the embedded server, or reuse the one already running; print its URL."""
    state = embedded.start(_home(), _version(pg_version))
    click.echo(f"PostgreSQL {state.version} running (pid {state.pid}), data in {state.data_dir}", err=True)
    click.echo(state.url)


@server.command()
@pg_version_option
def stop(pg_version: str | None) -> None:
    """Stop the embedded server; its data stays."""
    state = embedded.stop(_home(), _version(pg_version))
    click.echo(f"PostgreSQL {state.version} stopped, data kept in {state.data_dir}", err=True)


@server.command()
@pg_version_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
              show_default=True, help="Output format.")
def status(pg_version: str | None, fmt: str) -> None:
    """Whether the embedded server runs, where its data is and its URL. Exit 1 when stopped."""
    state = embedded.status(_home(), _version(pg_version))
    emit([_row(state)], fmt)
    if not state.running:
        raise click.exceptions.Exit(1)


@server.command()
@pg_version_option
def url(pg_version: str | None) -> None:
    """Print the embedded server's URL, starting it when needed (for psql "$(agentdb server url)")."""
    click.echo(embedded.start(_home(), _version(pg_version)).url)
COMMANDS = [server]
