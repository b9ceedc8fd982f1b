"""`agentdb baseline`: adopt a database built without agentdb."""

from __future__ import annotations

import click

from .. import catalog, db
from .. import baseline as adopting
from ..scratch import run_settings
from .drift import scratch_option
from .options import Settings, connection_options, output_options
from .output import emit, emit_document


@click.command()
@connection_options
@output_options
@scratch_option
@click.option("--dry-run", is_flag=True, help="Show what would be recorded and what differs; record nothing.")
def baseline(settings: Settings, fmt: str, scratch_url: str | None, dry_run: bool) -> None:
    """Adopt a database that already holds (part of) the schema.

    Replays the migrations one by one into a scratch database and records the longest
    prefix whose objects are all in the target as applied (with checksums, in agentdb's
    and yoyo's bookkeeping), then lists what the target holds beyond it or differently.
    Exit 1, recording nothing, when no prefix matches.
    """
    project = settings.project()
    url = settings.url()
    result = adopting.adopt(url, project, run_settings(project), dry_run=dry_run,
                            scratch_url=db.libpq_url(scratch_url) if scratch_url else None,
                            on_prefix=lambda mid, ok: click.echo(f"{mid}: {'matches' if ok else 'differs'}", err=True))
    rows = [d.as_row() for d in result.differences]
    if fmt == "json":
        emit_document({"recorded": result.recorded, "migrations": result.migration_ids, "sets": result.migrations,
                       "repeatables": result.repeatables, "differences": rows}, fmt)
    else:
        if fmt == "table":
            rows = [dict(r, **dict(zip(("expected", "actual"), catalog.excerpt(r["expected"], r["actual"]))))
                    for r in rows]
        if rows:
            emit(rows, fmt, ["object", "what", "expected", "actual"])
    if fmt == "table":
        verb = "recorded" if result.recorded else "would record"
        ids = result.migration_ids
        objects = sum(len(names) for names in result.repeatables.values())
        click.echo(f"{verb} {ids[0]} .. {ids[-1]} as applied ({len(ids)} migration(s) in "
                   f"{', '.join(result.migrations)}, {objects} repeatable object(s)); "
                   f"{len(result.differences)} difference(s) listed; agentdb migrate applies the rest", err=True)


COMMANDS = [baseline]
