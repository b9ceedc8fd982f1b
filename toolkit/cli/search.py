"""`agentdb search TEXT`: hybrid RAG search from the shell."""

from __future__ import annotations

from datetime import datetime

import click

from .. import db, rag
from ..errors import UsageError
from .options import Settings, connection_options, embedder_option, output_options
from .output import emit


def _time(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        raise UsageError(f"{value!r} is not an ISO date or time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z)") from exc
    return value


@click.command()
@click.argument("text")
@click.option("--scope", type=click.Choice(rag.SCOPES), default="chunks", show_default=True,
              help="What to search: knowledge chunks, an agent's memories, messages, memory documents.")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@click.option("--mode", type=click.Choice(["rrf", "weighted"]), default="weighted", show_default=True,
              help="Fuse the legs by weights (0.5 each, min-max-normalised) or by reciprocal rank.")
@click.option("--agent", default=None, help="Agent slug, name or id, in the tenant (required for memories).")
@click.option("--project", default=None, help="Project name (messages, documents).")
@click.option("--tag", "tags", multiple=True, help="Tag every result must carry (messages, documents); repeat.")
@click.option("--machine", default=None, help="Machine (messages).")
@click.option("--user-name", default=None, help="User who ran the client (messages).")
@click.option("--path", default=None, help="Working directory (messages).")
@click.option("--since", default=None, help="Only rows at or after this ISO time.")
@click.option("--until", default=None, help="Only rows before this ISO time.")
@embedder_option
@connection_options
@output_options
def search(text, scope, k, mode, agent, project, tags, machine, user_name, path, since, until, embedder,
           settings: Settings, fmt):
    """Hybrid RAG search from the shell, in the tenant --tenant names (default personal).

    Embeds TEXT with the configured embedder and fuses vector and full-text results;
    with no embedder configured it searches by keyword only and says so on stderr.

    \b
    rank:  1 is the best hit.
    score: higher is better. Keyword only (chunks): the BM25 score of the hit (always
           above 0, not bounded). With an embedder, weighted mode: 0.5 x the vector
           similarity + 0.5 x the keyword score, each min-max normalised over that leg's
           candidates (1.0: best on both legs; a hit found by one leg only, at that leg's
           weakest candidate, scores 0.0 and is still a hit); rrf mode: the sum of
           1/(60 + rank) over the legs that found it. Messages and documents: the fused
           score as above (keyword only: at most 0.5). Memories: recency + importance +
           relevance (+ emotion), each normalised to 0..1.
    """
    chosen = settings.embedder(embedder)
    if chosen is None:
        click.echo("no embedder configured (--embedder, AGENTDB_EMBEDDER): keyword search only", err=True)
    request = rag.SearchRequest(text, scope, k, mode, agent, project, list(tags) or None, machine, user_name, path,
                                _time(since), _time(until))
    with db.connect(settings.url()) as conn:
        columns, rows = rag.search(conn, settings.tenant_or("personal"), request, chosen)
    emit(rows, fmt, columns)


COMMANDS = [search]
