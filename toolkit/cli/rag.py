"""`agentdb search`, `agentdb ingest` and `agentdb model list|add|index`."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from .. import db, embedders, embedding_indexes, rag
from ..errors import UsageError
from .options import Settings, connection_options, output_options
from .output import emit


def embedder_option(func):
    return click.option("--embedder", default=None, metavar="SPEC",
                        help="sentence-transformers:NAME or openai:MODEL@URL (else AGENTDB_EMBEDDER, "
                             "else [tool.agentdb] embedder; none: keyword only).")(func)


def _embedder(settings: Settings, spec: str | None):
    return embedders.configured(spec, settings.project().settings())


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
@click.option("--agent", default=None, help="Agent slug, name or id (required for memories).")
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
    """Hybrid RAG search from the shell.

    Embeds TEXT with the configured embedder and fuses vector and full-text results;
    with no embedder configured it searches by keyword only and says so on stderr.
    """
    chosen = _embedder(settings, embedder)
    if chosen is None:
        click.echo("no embedder configured (--embedder, AGENTDB_EMBEDDER): keyword search only", err=True)
    request = rag.SearchRequest(text, scope, k, mode, agent, project, list(tags) or None, machine, user_name, path,
                                _time(since), _time(until))
    with db.connect(settings.url()) as conn:
        columns, rows = rag.search(conn, settings.tenant_or("personal"), request, chosen)
    emit(rows, fmt, columns)


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
    commits (or after agentdb maintain, if the load is interrupted).
    """
    chosen = _embedder(settings, embedder)
    tenant = settings.tenant_or("personal")
    found = rag.files(paths)
    if chosen is None:
        click.echo("no embedder configured: chunks are stored without embeddings (keyword search only)", err=True)
    with db.connect(settings.url()) as conn:
        tenant_uuid = rag.tenant_id(conn, tenant)
        agent_id = rag._agent(conn, tenant_uuid, agent)
        conn.commit()
        with click.progressbar(length=len(found), label="ingesting", file=sys.stderr) as bar:
            results = rag.ingest(conn, tenant, found, chosen, agent_id, on_file=lambda _: bar.update(1),
                                 defer_keyword_index=defer_keyword_index)
    emit([r.__dict__ for r in results], fmt, ["path", "status", "chunks"])
    loaded = sum(1 for r in results if r.status != "unchanged")
    click.echo(f"{loaded} loaded, {len(results) - loaded} unchanged, {sum(r.chunks for r in results)} chunks", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def model():
    """Embedding models: list, register, build their HNSW indexes."""


@model.command(name="list")
@connection_options
@output_options
def list_models(settings: Settings, fmt):
    """List the registered embedding models."""
    with db.connect(settings.url()) as conn:
        cursor = conn.execute("select id, name, dimensions, distance, index_storage, hnsw_m, hnsw_ef_construction, "
                              "provider from knowledge.embedding_models order by id")
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, r)) for r in cursor.fetchall()]
    emit(rows, fmt, columns)


@model.command(name="add")
@click.argument("name")
@click.option("--dims", type=click.IntRange(1, 4000), required=True, help="Vector size.")
@click.option("--distance", type=click.Choice(["cosine", "l2", "inner_product"]), default="cosine", show_default=True)
@click.option("--storage", type=click.Choice(["vector", "halfvec"]), default="vector", show_default=True,
              help="Index storage: halfvec halves the index memory.")
@click.option("--m", "hnsw_m", type=click.IntRange(2, 100), default=16, show_default=True, help="HNSW m.")
@click.option("--ef-construction", type=click.IntRange(4, 1000), default=64, show_default=True,
              help="HNSW ef_construction.")
@connection_options
def add_model(name, dims, distance, storage, hnsw_m, ef_construction, settings: Settings):
    """Register a model and build its HNSW indexes (concurrently where tables have rows)."""
    url = settings.url()
    with db.connect(url) as conn:
        conn.execute("select set_config('agentdb.defer_embedding_indexes', 'on', true)")
        model_id = conn.execute("select knowledge.register_embedding_model(%s, %s, %s, %s, %s, %s)",
                                (name, dims, distance, storage, hnsw_m, ef_construction)).fetchone()[0]
    results = embedding_indexes.build(url, model_id, report=lambda line: click.echo(line, err=True))
    click.echo(f"model {name} is id {model_id}; {sum(r.action != 'exists' for r in results)} index(es) built", err=True)


@model.command(name="index")
@click.argument("name", required=False)
@connection_options
@output_options
def index_model(name, settings: Settings, fmt):
    """Build missing or invalid HNSW indexes of one model (or all), concurrently, with progress."""
    url = settings.url()
    with db.connect(url) as conn:
        query = "select id from knowledge.embedding_models" + (" where name = %s" if name else "") + " order by id"
        ids = [r[0] for r in conn.execute(query, (name,) if name else None)]
    if name and not ids:
        raise UsageError(f"no embedding model named {name!r} (see agentdb model list)")
    results = []
    for model_id in ids:
        results += embedding_indexes.build(url, model_id, report=lambda line: click.echo(line, err=True))
    emit([r.__dict__ for r in results], fmt, ["table", "index", "action", "seconds"])


COMMANDS = [search, ingest, model]
