"""Search at 100k chunks x 384 dims (the RAG issue's figures): hybrid latency with a
tenant filter, recall@10 of the vector leg, the seed's weighted query and a
Supabase-style RRF query on the same data, binary COPY ingest (keyword indexing
deferred) and the keyword and HNSW index build times. The same code runs as
`agentdb bench search` against any server."""

from __future__ import annotations

import os

from common import ROOT, machine, server_url
from toolkit import config, searchbench


def main() -> None:
    rows = int(os.environ.get("AGENTDB_BENCH_ROWS", "100000"))
    print(f"machine: {machine()}")
    result = searchbench.run(server_url(), config.Project(ROOT), rows=rows, dims=384, tenants=10, queries=300)
    print(f"{result.rows:,} chunks x {result.dims} dims in {result.tenants} tenants; {result.queries} queries, "
          f"k = {result.k}, one tenant (10 % of rows) per query")
    print(f"binary COPY ingest (before indexing: keyword index deferred, no HNSW index yet): "
          f"{result.copy_rows_per_second:,} chunks/s")
    print(f"keyword index (BM25 postings for the deferred chunks, one pass): {result.keyword_index_seconds} s")
    print(f"HNSW build (m=16, ef_construction=64): {result.index_build_seconds} s")
    print(f"recall@{result.k} of the vector leg against exact search: {result.recall_at_k}")
    for name, figures in result.figures.items():
        print(f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms")


if __name__ == "__main__":
    main()
