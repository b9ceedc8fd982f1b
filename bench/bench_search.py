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
         (searchbench.OWN_LEG, searchbench.OWN_PLAIN),
         ("BM25 leg, exact (search_chunks_bm25), 12-word query", "BM25 textbook, one plain statement (every posting)"),
         ("BM25 leg, exact (search_chunks_bm25), 12-word query", "BM25 truncated, one plain statement (the former leg)")]


GROWTH = ["hybrid_search, defaults, 2-word query", "hybrid_search, defaults, 12-word query",
          searchbench.OWN_HYBRID2, searchbench.OWN_HYBRID12, searchbench.VECTOR_LEG, searchbench.OWN_LEG,
          "BM25 leg, exact (search_chunks_bm25), 12-word query"]


def main() -> None:
    sizes = [int(n) for n in os.environ.get("AGENTDB_BENCH_ROWS", "100000,400000").split(",")]
    print(f"machine: {machine()}; load before: {load()}")
    hybrid: dict[str, dict[int, float]] = {}
    for rows in sizes:
        result = searchbench.run(server_url(), config.Project(ROOT), rows=rows, dims=384, tenants=10, queries=200)
        print(f"\n{result.rows:,} chunks x {result.dims} dims in {result.tenants} tenants; {result.queries} queries, "
              f"k = {result.k}, one tenant (10 % of rows) per query; load now: {load()}")
        print(f"binary COPY ingest (keyword index deferred, no HNSW index yet): {result.copy_rows_per_second:,} chunks/s")
        print(f"keyword index (BM25 postings for the deferred chunks, one pass): {result.keyword_index_seconds} s")
        print(f"HNSW build (m=16, ef_construction=64): {result.index_build_seconds} s")
        print(f"the vector leg's default ef_search for the queried tenant: {result.leg_ef_search}")
        print(f"HNSW index of a second tenant's own chunks (agentdb model index --for-tenant; that tenant's "
              f"rows below): {result.tenant_index_seconds} s")
        for name, figures in result.figures.items():
            extra = "".join(f", {key} {value}" for key, value in figures.items() if not key.endswith("_ms"))
            print(f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms{extra}")
        for leg, plain in PAIRS:
            ratio = result.figures[leg]["p50_ms"] / max(result.figures[plain]["p50_ms"], 0.01)
            print(f"{leg} / {plain}: {ratio:.2f}x (p50)")
        for name in GROWTH:
            hybrid.setdefault(name, {})[rows] = result.figures[name]["p50_ms"]
    print()
    for name, by_rows in hybrid.items():
        if len(by_rows) > 1:
            low, high = min(by_rows), max(by_rows)
            print(f"{name}: p50 {low:,} -> {high:,} chunks: {by_rows[low]} -> {by_rows[high]} ms "
                  f"({by_rows[high] / by_rows[low]:.2f}x; goal <= 1.3x)")


if __name__ == "__main__":
    main()
