"""Retrieval quality on real text (the BM25 issue's table): `agentdb bench quality` on the
Python documentation (Debian's python3.11-doc), 5,000 passages, 300 inverse-cloze queries,
all-MiniLM-L6-v2 embeddings."""

from __future__ import annotations

from common import ROOT, machine, server_url
from toolkit import config, embedders, qualitybench


def main() -> None:
    print(f"machine: {machine()}")
    if not qualitybench.DEFAULT_CORPUS.is_dir():
        print(f"skipped: {qualitybench.DEFAULT_CORPUS} is missing (apt-get install python3.11-doc)")
        return
    result = qualitybench.run(server_url(), config.Project(ROOT),
                              embedders.from_spec("sentence-transformers:all-MiniLM-L6-v2"))
    print(f"{result.passages} passages, {result.queries} queries, k = 10")
    print("search | MRR@10 | recall@10 | p50 ms | p95 ms")
    for row in result.rows:
        print(f"{row['search']} | {row['mrr@10']} | {row['recall@10']} | {row['p50_ms']} | {row['p95_ms']}")


if __name__ == "__main__":
    main()
