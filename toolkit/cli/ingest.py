"""`agentdb ingest PATH…`: load documents into knowledge chunks."""

from __future__ import annotations

import sys

import click

from .. import db, rag
from .options import Settings, connection_options, embedder_option, output_options
from .output import emit


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--agent", default=None, help="Agent slug, name or id that owns the knowledge.")
@click.option("--defer-keyword-index", is_flag=True,
              help="Bulk load: leave the chunks out of the keyword (BM25) index while loading, then index "
                   "them all in one pass at the end.")
@embedder_option
@connection_options
@output_options
def ingest(paths, agent, defer_keyword_index, embedder, settings: Settings, fmt):
    """Load documents (markdown, text) into knowledge chunks: chunk, embed, binary COPY.

    A file whose content is unchanged since it was loaded is skipped; a changed one has
    its chunks replaced in one transaction. Directories are walked for text files. With
    --defer-keyword-index, keyword search finds a file's chunks once the final pass
    commits (or after agentdb maintain, if the load is interrupted). The tenant is
    --tenant (default personal).
    """
    chosen = settings.embedder(embedder)
    tenant = settings.tenant_or("personal")
    found = rag.files(paths)
    if chosen is None:
        click.echo("no embedder configured: chunks are stored without embeddings (keyword search only)", err=True)
    with db.connect(settings.url()) as conn:
        agent_id = rag.agent_of(conn, tenant, agent)
        with click.progressbar(length=len(found), label="ingesting", file=sys.stderr) as bar:
            results = rag.ingest(conn, tenant, found, chosen, agent_id, on_file=lambda _: bar.update(1),
                                 defer_keyword_index=defer_keyword_index)
    emit([r.__dict__ for r in results], fmt, ["path", "status", "chunks"])
    loaded = sum(1 for r in results if r.status != "unchanged")
    click.echo(f"{loaded} loaded, {len(results) - loaded} unchanged, {sum(r.chunks for r in results)} chunks", err=True)


COMMANDS = [ingest]
