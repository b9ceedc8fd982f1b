"""`agentdb compat install / uninstall / list`: the seed systems' compatibility packs."""

from __future__ import annotations

import click

from .. import compat as packs
from .. import migrator
from .options import Settings, connection_options, output_options
from .output import emit


@click.group()
def compat() -> None:
    """Compatibility packs: a seed system's own tables as views over agentdb.

    Each pack is an opt-in migration set (compat/NAME/) applied after agentdb's own,
    so that system's documented SQL runs verbatim as the app role under row-level
    security. `agentdb compat list` names them and the search_path their clients set.
    """


def _pack_options(function):
    """NAME, --lock-wait and the connection options, shared by install and uninstall."""
    function = connection_options(function)
    function = click.option("--lock-wait", type=click.FloatRange(min=0), default=60.0, show_default=True,
                            metavar="SECONDS", help="How long to wait for another migrator to finish.")(function)
    return click.argument("name", metavar="NAME")(function)


@compat.command()
@_pack_options
def install(name: str, lock_wait: float, settings: Settings) -> None:
    """Install (or bring up to date) the compatibility pack NAME, in one transaction.

    NAME is one of the packs `agentdb compat list` shows. agentdb's own schema must be
    applied first (`agentdb migrate`). Prints what ran; nothing when it is current.
    """
    packs.find(name)  # an unknown name is bad input (exit 2) before any connection
    steps = packs.install(settings.url(), name, migrator.Settings(lock_wait=lock_wait))
    for step in steps:
        click.echo(f"applied {step}", err=True)
    pack = packs.find(name)
    click.echo(f"{name}: installed in schema {pack.schema}"
               + ("" if steps else " (already current)") + f"; clients set search_path = {pack.search_path}")


@compat.command()
@_pack_options
def uninstall(name: str, lock_wait: float, settings: Settings) -> None:
    """Remove the compatibility pack NAME: its schema of views and functions, nothing else.

    agentdb's tables and every row written through the pack stay. Exit 1 when the pack
    is not installed.
    """
    packs.find(name)
    steps = packs.uninstall(settings.url(), name, migrator.Settings(lock_wait=lock_wait))
    for step in steps:
        click.echo(step, err=True)
    click.echo(f"{name}: uninstalled")


@compat.command(name="list")
@connection_options
@output_options
def list_packs(settings: Settings, fmt: str) -> None:
    """List the compatibility packs, whether each is installed, and its search_path."""
    rows = packs.list_rows(settings.url())
    emit(rows, fmt, ["name", "schema", "installed", "search_path", "document", "summary"] if fmt == "table" else None)


COMMANDS = [compat]
