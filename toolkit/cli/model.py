"""`agentdb model list|add|index`: embedding models and their HNSW indexes."""

from __future__ import annotations

import click
import psycopg

from .. import db, embedding_indexes, models
from ..errors import UsageError
from .options import Settings, connection_options, output_options
from .output import emit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def model():
    """Embedding models: list, register, build their HNSW indexes."""


@model.command(name="list")
@connection_options
@output_options
def list_models(settings: Settings, fmt):
    """List the registered embedding models."""
    with db.connect(settings.url()) as conn:
        columns, rows = models.list_models(conn)
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
        model_id = models.register(conn, name, dims, distance, storage, hnsw_m, ef_construction)
    results = embedding_indexes.build(url, model_id, report=lambda line: click.echo(line, err=True))
    click.echo(f"model {name} is id {model_id}; {sum(r.action != 'exists' for r in results)} index(es) built", err=True)


@model.command(name="index")
@click.argument("name", required=False)
@click.option("--for-tenant", "for_tenant", default=None, metavar="SLUG|ID",
              help="Build the model's HNSW index over this tenant's chunks only (for a large tenant: its "
                   "searches then walk its own graph, unfiltered).")
@connection_options
@output_options
def index_model(name, for_tenant, settings: Settings, fmt):
    """Build missing or invalid HNSW indexes of one model (or all), concurrently, with progress."""
    url = settings.url()
    with db.connect(url) as conn:
        model_ids = models.ids(conn, name)
        tenant_id = None
        if for_tenant:
            try:
                tenant_id = conn.execute("select core.resolve_tenant(%s)", (for_tenant,)).fetchone()[0]
            except psycopg.errors.NoDataFound as exc:
                raise UsageError(exc.diag.message_primary or str(exc)) from exc
    results = []
    for model_id in model_ids:
        if tenant_id is not None:
            results.append(embedding_indexes.build_tenant(url, model_id, tenant_id,
                                                          report=lambda line: click.echo(line, err=True)))
            continue
        results += embedding_indexes.build(url, model_id, report=lambda line: click.echo(line, err=True))
    emit([r.__dict__ for r in results], fmt, ["table", "index", "action", "seconds"])


COMMANDS = [model]
