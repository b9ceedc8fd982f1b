"""`agentdb ingest PATH...`: documentation files into knowledge chunks."""

from __future__ import annotations

import sys

import click

from .. import db, rag
from ..chunking import MAX_TOKENS, OVERLAP
from ..errors import UsageError
from ..ingest import load, readers
from .options import Settings, connection_options, embedder_option, output_options
from .output import emit


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--agent", default=None, help="Agent slug, name or id that owns the knowledge.")
@click.option("--defer-keyword-index", is_flag=True,
              help="Bulk load: leave the chunks out of the keyword (BM25) index while loading, then index "
                   "them all in one pass at the end.")
@click.option("--chunk-tokens", type=click.IntRange(32, 8192), default=MAX_TOKENS, show_default=True,
              help="Largest chunk, in the model's tokens (all-MiniLM-L6-v2 reads 256).")
@click.option("--overlap-tokens", type=click.IntRange(0, 4096), default=OVERLAP, show_default=True,
              help="Tokens a chunk repeats from the one before it in the same section.")
@click.option("-v", "--verbose", is_flag=True, help="Name every file skipped, and why.")
@embedder_option
@connection_options
@output_options
def ingest(paths, agent, defer_keyword_index, chunk_tokens, overlap_tokens, verbose, embedder, settings: Settings,
           fmt):
    """Load documentation into knowledge chunks: read, chunk, embed, binary COPY.

    Reads HTML, Markdown, reStructuredText and plain text (by suffix; .gz too), walking
    directories. Each chunk holds one section's text under its headings ("Title >
    Section: text"), sized in the model's tokens with overlap. A file whose content is
    unchanged since it was loaded is skipped; a changed one has its chunks replaced in
    one transaction. Files that cannot be read are skipped and counted (--verbose names
    them); when nothing could be read the command fails. With --defer-keyword-index,
    keyword search finds a file's chunks once the final pass commits (or after agentdb
    maintain, if the load is interrupted). The tenant is --tenant (default personal).
    """
    if overlap_tokens >= chunk_tokens // 2:
        raise UsageError(f"--overlap-tokens {overlap_tokens} must be under half of --chunk-tokens {chunk_tokens}")
    found, skipped = readers.find(list(paths))
    if not found:
        _name_skipped(skipped, verbose)
        raise UsageError(f"nothing to ingest under {', '.join(paths)}: "
                         + (f"{len(skipped)} file(s) skipped{_hint(verbose)}" if skipped else "no files"))
    chosen = settings.embedder(embedder)
    tenant = settings.tenant_or("personal")
    if chosen is None:
        click.echo("no embedder configured: chunks are stored without embeddings (keyword search only)", err=True)
    with db.connect(settings.url()) as conn:
        agent_id = rag.agent_of(conn, tenant, agent)
        with click.progressbar(length=len(found), label="ingesting", file=sys.stderr) as bar:
            results = load.ingest(conn, tenant, found, chosen, agent_id, on_file=lambda _: bar.update(1),
                                  defer_keyword_index=defer_keyword_index,
                                  chunking=load.Chunking(chunk_tokens, overlap_tokens))
    read = [r for r in results if r.status != "skipped"]
    skipped += [readers.Skipped(r.path, r.reason or "unreadable") for r in results if r.status == "skipped"]
    _name_skipped(skipped, verbose)
    emit([{"path": r.path, "status": r.status, "chunks": r.chunks} for r in read], fmt, ["path", "status", "chunks"])
    counts = {status: sum(1 for r in read if r.status == status) for status in ("loaded", "replaced", "unchanged")}
    summary = (f"{counts['loaded']} loaded, {counts['replaced']} replaced, {counts['unchanged']} unchanged, "
               f"{sum(r.chunks for r in read)} chunks")
    if skipped:
        summary += f"; {len(skipped)} skipped{_hint(verbose)}"
    click.echo(summary, err=True)
    if not read:
        raise UsageError(f"nothing ingested: all {len(skipped)} file(s) were skipped{_hint(verbose)}")


def _hint(verbose: bool) -> str:
    return "" if verbose else " (--verbose names them)"


def _name_skipped(skipped: list[readers.Skipped], verbose: bool) -> None:
    if verbose:
        for item in skipped:
            click.echo(f"skipped {item.path}: {item.reason}", err=True)


COMMANDS = [ingest]
