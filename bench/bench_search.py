"""Search on synthetic data at 100k and 400k chunks x 384 dims, 10 tenants, each query
filtered to one tenant (10 % of the rows): hybrid latency, each leg beside the plain
statement it wraps, recall@10 of the vector leg against exact search at several
ef_search, exact BM25 against the textbook and the truncated statement; binary COPY
ingest (keyword indexing deferred) and index build times. The same code runs as
`agentdb bench search` against any server."""

from __future__ import annotations

import os

from common import ROOT, load, machine, server_url
from toolkit import config, searchbench

PAIRS = [(searchbench.VECTOR_LEG, searchbench.PLAIN_HNSW),
         ("BM25 leg, exact (search_chunks_bm25), 12-word query", "BM25 textbook, one plain statement (every posting)"),
         ("BM25 leg, exact (search_chunks_bm25), 12-word query", "BM25 truncated, one plain statement (the former leg)")]


def main() -> None:
    sizes = [int(n) for n in os.environ.get("AGENTDB_BENCH_ROWS", "100000,400000").split(",")]
    print(f"machine: {machine()}; load before: {load()}")
    hybrid = {}
    for rows in sizes:
        result = searchbench.run(server_url(), config.Project(ROOT), rows=rows, dims=384, tenants=10, queries=200)
        print(f"\n{result.rows:,} chunks x {result.dims} dims in {result.tenants} tenants; {result.queries} queries, "
              f"k = {result.k}, one tenant (10 % of rows) per query; load now: {load()}")
        print(f"binary COPY ingest (keyword index deferred, no HNSW index yet): {result.copy_rows_per_second:,} chunks/s")
        print(f"keyword index (BM25 postings for the deferred chunks, one pass): {result.keyword_index_seconds} s")
        print(f"HNSW build (m=16, ef_construction=64): {result.index_build_seconds} s")
        print(f"the vector leg's default ef_search for the queried tenant: {result.leg_ef_search}")
        for name, figures in result.figures.items():
            extra = "".join(f", {key} {value}" for key, value in figures.items() if not key.endswith("_ms"))
            print(f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms{extra}")
        for leg, plain in PAIRS:
            ratio = result.figures[leg]["p50_ms"] / max(result.figures[plain]["p50_ms"], 0.01)
            print(f"{leg} / {plain}: {ratio:.2f}x (p50)")
        hybrid[rows] = result.figures["hybrid_search, defaults, 12-word query"]["p50_ms"]
    if len(hybrid) > 1:
        low, high = min(hybrid), max(hybrid)
        print(f"\nhybrid_search p50 (12-word query) {low:,} -> {high:,} chunks: {hybrid[low]} -> {hybrid[high]} ms "
              f"({hybrid[high] / hybrid[low]:.2f}x)")


if __name__ == "__main__":
    main()
