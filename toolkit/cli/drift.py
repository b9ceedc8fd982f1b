"""`agentdb drift`: the live catalog against what the applied migrations build."""

from __future__ import annotations

import time

import click

from .. import catalog, db, drift as drifting
from .options import Settings, connection_options, output_options
from .output import emit


def scratch_option(func):
    return click.option("--scratch-url", default=None, metavar="URL",
                        help="Server to build scratch databases on (default: the target's server; "
                             "the role needs CREATEDB there).")(func)


@click.command()
@connection_options
@output_options
@scratch_option
@click.option("--no-cache", is_flag=True, help="Replay the migrations even when the expected schema of these "
                                               "files is cached.")
def drift(settings: Settings, fmt: str, scratch_url: str | None, no_cache: bool) -> None:
    """Compare the live catalog with what its applied migrations build; exit 1 on any difference.

    Replays the applied migrations and repeatable objects into a scratch database on the
    same server, then compares tables, columns, defaults, constraints, indexes, triggers,
    functions (by body, security, settings), views, policies, grants, RLS flags, comments,
    extensions, types and partitions. One row per difference: object, what, expected, actual.
    """
    url = settings.url()
    started = time.monotonic()
    project = settings.project()
    cache = None if no_cache else drifting.default_cache_dir(project)
    with db.connect(url) as conn:
        rows = drifting.drift(conn, url, project, cache_dir=cache,
                              scratch_url=db.libpq_url(scratch_url) if scratch_url else None)
    seconds = time.monotonic() - started
    if fmt == "table":
        shown = []
        for d in rows:
            expected, actual = catalog.excerpt(d.expected, d.actual)
            shown.append({"object": d.object, "what": d.what, "expected": expected, "actual": actual})
        if shown:
            emit(shown, fmt, ["object", "what", "expected", "actual"])
        click.echo(f"{len(rows)} difference(s) from the applied migrations ({seconds:.1f}s)" if rows
                   else f"no drift: the catalog matches the applied migrations ({seconds:.1f}s)", err=True)
    else:
        emit([d.as_row() for d in rows], fmt, ["object", "what", "expected", "actual"])
    if rows:
        raise click.exceptions.Exit(1)


COMMANDS = [drift]
