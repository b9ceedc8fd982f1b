"""`agentdb status`: which database is used and why, and the state of every migration set."""

from __future__ import annotations

import click

from .. import db, migrator
from .options import Settings, connection_options, output_options
from .output import emit, emit_document

COLUMNS = ["kind", "name", "state", "applied_at", "set"]


@click.command()
@connection_options
@output_options
def status(settings: Settings, fmt: str) -> None:
    """Which database is used (and why), and each migration and repeatable object of each
    set: applied / pending / changed (drift) / missing file; current / pending / changed.

    Outside any project and with no database URL it starts nothing and says what to do.
    """
    target = settings.target()
    url = settings.url()
    with db.connect(url) as conn:
        version = db.server_version(conn)
        vector = db.pgvector_version(conn)
        states = migrator.read_states(conn, settings.project())
    rows = migrator.status_rows(states)
    summary = migrator.summary(rows)
    if fmt == "table":
        click.echo(f"database:   {db.redact(url)}")
        click.echo(f"chosen by:  {target.source}")
        click.echo(f"server:     PostgreSQL {version}, pgvector {vector or 'not installed'}")
        click.echo(f"sets:       {', '.join(s.migration_set.name for s in states)}")
        click.echo()
        emit(rows, fmt, COLUMNS)
        click.echo()
        click.echo(summary)
    elif fmt == "json":
        emit_document({"database": db.redact(url), "source": target.source, "server_version": version,
                       "pgvector": vector, "sets": [s.migration_set.name for s in states], "summary": summary,
                       "objects": rows}, fmt)
    else:
        emit(rows, fmt, COLUMNS)


COMMANDS = [status]
