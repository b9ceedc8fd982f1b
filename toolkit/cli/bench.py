"""`agentdb bench search`: measure search on this server with synthetic data."""

from __future__ import annotations

import click

from ..errors import UsageError
from .options import Settings, connection_options, output_options
from .output import emit, emit_document


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def bench():
    """Benchmarks a DBA can run against a server."""


@bench.command(name="search")
@click.option("--rows", type=click.IntRange(100, 10_000_000), default=100_000, show_default=True,
              help="Chunks to generate.")
@click.option("--dims", type=click.IntRange(2, 2000), default=384, show_default=True, help="Vector size.")
@click.option("--tenants", type=click.IntRange(1, 1000), default=10, show_default=True,
              help="Tenants the rows are spread over; queries filter to one.")
@click.option("--queries", type=click.IntRange(10, 100_000), default=200, show_default=True)
@click.option("-k", "k", type=click.IntRange(1, 100), default=10, show_default=True)
@connection_options
@output_options
def search_bench(rows, dims, tenants, queries, k, settings: Settings, fmt):
    """Latency percentiles and recall@k of search on synthetic clustered data.

    Creates a scratch database on the server (the role needs CREATEDB), loads ROWS chunks
    with binary COPY (keyword indexing deferred), builds the keyword (BM25) and HNSW
    indexes, runs the queries, prints the figures and drops the database.
    """
    from .. import searchbench  # numpy: a benchmark dependency, not the core's

    result = searchbench.run(settings.url(), settings.project(), rows, dims, tenants, queries, k,
                             report=lambda line: click.echo(line, err=True))
    if fmt == "json":
        emit_document(result.__dict__, fmt)
        return
    click.echo(f"{rows:,} chunks x {dims} dims, {tenants} tenants, {queries} queries, k = {k}")
    click.echo(f"binary COPY ingest: {result.copy_rows_per_second:,} chunks/s; keyword index: "
               f"{result.keyword_index_seconds} s; HNSW build: {result.index_build_seconds} s; "
               f"recall@{k} of the vector leg: {result.recall_at_k}")
    emit([{"query": name, **figures} for name, figures in result.figures.items()], fmt)


@bench.command(name="quality")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), default=None,
              help="Directory of .rst/.txt/.md files (default: Debian's python3.11-doc sources).")
@click.option("--passages", type=click.IntRange(100, 100_000), default=5000, show_default=True)
@click.option("--queries", type=click.IntRange(10, 10_000), default=300, show_default=True)
@click.option("--embedder", default="sentence-transformers:all-MiniLM-L6-v2", show_default=True,
              help="Embedder for passages and queries.")
@connection_options
@output_options
def quality_bench(corpus, passages, queries, embedder, settings: Settings, fmt):
    """MRR@10, recall@10 and latency of each search (ts_rank, BM25, vector, hybrid fusions)
    on real text with inverse-cloze queries, in a scratch database."""
    from pathlib import Path

    from .. import embedders, qualitybench

    try:
        result = qualitybench.run(settings.url(), settings.project(), embedders.from_spec(embedder),
                                  Path(corpus) if corpus else qualitybench.DEFAULT_CORPUS, passages, queries,
                                  report=lambda line: click.echo(line, err=True))
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    if fmt == "table":
        click.echo(f"{result.passages} passages, {result.queries} queries (inverse cloze), k = 10")
    emit(result.rows, fmt, ["search", "mrr@10", "recall@10", "p50_ms", "p95_ms", "same top-10 as textbook"])


COMMANDS = [bench]
