"""A search benchmark a DBA can run against any server: synthetic clustered vectors with
text in a scratch database, then latency percentiles of hybrid search with a tenant
filter, recall@k of the vector leg against exact search, the seed's weighted query and a
Supabase-style RRF query on the same data, binary COPY ingest rate (keyword indexing
deferred, as a bulk load does), and the build times of the keyword and HNSW indexes."""

from __future__ import annotations

import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql

from . import migrator
from .config import Project


@dataclass
class SearchBenchResult:
    rows: int
    dims: int
    tenants: int
    queries: int
    copy_rows_per_second: float = 0.0
    keyword_index_seconds: float = 0.0
    index_build_seconds: float = 0.0
    figures: dict[str, dict] = field(default_factory=dict)  # name -> {p50, p95, ...}
    recall_at_k: float = 0.0
    k: int = 10


def _percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99),
            "mean_ms": round(statistics.fmean(ordered), 2)}


class Corpus:
    """Clustered unit vectors, and text whose words come from each cluster's topic."""

    def __init__(self, rows: int, dims: int, tenants: int, seed: int = 42):
        rng = np.random.default_rng(seed)
        self.clusters = max(10, rows // 1000)
        self.centers = rng.normal(size=(self.clusters, dims)).astype(np.float32)
        self.labels = rng.integers(0, self.clusters, size=rows)
        noise = rng.normal(scale=0.6, size=(rows, dims)).astype(np.float32)
        vectors = self.centers[self.labels] + noise
        self.vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        self.tenant_of = rng.integers(0, tenants, size=rows)
        vocabulary = [f"w{i}" for i in range(5000)]
        self.topics = [rng.choice(vocabulary, size=20, replace=False) for _ in range(self.clusters)]
        common = np.array(vocabulary[:200])
        self.texts = [
            " ".join(list(rng.choice(self.topics[label], size=6)) + list(rng.choice(common, size=24)))
            for label in self.labels
        ]
        self.rng = rng

    def query(self, dims: int) -> tuple[np.ndarray, str, int, str]:
        """A vector near a cluster, a two-word keyword query from its topic, and a
        sentence-long one (two topic words among ten common ones)."""
        label = int(self.rng.integers(0, self.clusters))
        vector = self.centers[label] + self.rng.normal(scale=0.6, size=dims).astype(np.float32)
        vector /= np.linalg.norm(vector)
        text = " ".join(self.rng.choice(self.topics[label], size=2))
        sentence = " ".join(list(self.rng.choice(self.topics[label], size=2))
                            + [f"w{i}" for i in self.rng.integers(0, 200, size=10)])
        return vector.astype(np.float32), text, label, sentence


def run(server_url: str, project: Project, rows: int = 100_000, dims: int = 384, tenants: int = 10,
        queries: int = 200, k: int = 10, report: Callable[[str], None] = print,
        keep: bool = False) -> SearchBenchResult:
    name = f"agentdb_searchbench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    try:
        return _run(url, project, rows, dims, tenants, queries, k, report)
    finally:
        if not keep:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _run(url, project, rows, dims, tenants, queries, k, report) -> SearchBenchResult:
    result = SearchBenchResult(rows, dims, tenants, queries, k=k)
    report(f"scratch database: migrating, generating {rows:,} chunks x {dims} dims in {tenants} tenants")
    migrator.migrate(url, project, migrator.Settings())
    corpus = Corpus(rows, dims, tenants)
    with psycopg.connect(url) as conn:
        register_vector(conn)
        tenant_ids = [conn.execute("insert into core.tenants (slug, name) values (%s, %s) returning id",
                                   (f"bench{i}", f"Bench {i}")).fetchone()[0] for i in range(tenants)]
        conn.execute("select set_config('agentdb.defer_embedding_indexes', 'on', true)")
        model = conn.execute("select knowledge.register_embedding_model('bench', %s)", (dims,)).fetchone()[0]
        documents = [conn.execute("insert into knowledge.documents (tenant_id, name) values (%s, 'bench') "
                                  "returning id", (t,)).fetchone()[0] for t in tenant_ids]
        conn.commit()

        started = time.perf_counter()
        conn.execute("select set_config('agentdb.defer_keyword_index', 'on', true)")
        with conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                                "embedding_model_id) from stdin with (format binary)") as copy:
            copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4"])
            for i in range(rows):
                t = int(corpus.tenant_of[i])
                copy.write_row((tenant_ids[t], documents[t], i, corpus.texts[i], corpus.vectors[i], model))
        conn.commit()
        result.copy_rows_per_second = round(rows / (time.perf_counter() - started))
        report(f"binary COPY: {result.copy_rows_per_second:,} chunks/s (keyword and vector indexing deferred)")

        started = time.perf_counter()
        indexed = conn.execute("select knowledge.index_pending_chunks()").fetchone()[0]
        conn.commit()
        assert indexed == rows
        result.keyword_index_seconds = round(time.perf_counter() - started, 1)
        report(f"keyword index (BM25 postings, one set-based pass): {result.keyword_index_seconds} s")

    from . import embedding_indexes

    started = time.perf_counter()
    embedding_indexes.build(url, model, report=lambda line: None)
    result.index_build_seconds = round(time.perf_counter() - started, 1)
    report(f"HNSW build (m=16, ef_construction=64): {result.index_build_seconds} s")

    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        conn.execute("vacuum analyze knowledge.chunks")
        probes = [corpus.query(dims) for _ in range(queries)]
        target = 0
        tenant = tenant_ids[target]
        mask = corpus.tenant_of == target
        ids = [r[0] for r in conn.execute("select chunk_index from knowledge.chunks order by chunk_index")]
        assert len(ids) == rows
        recalls = []
        vector_ms, hybrid_ms, weighted_ms, supabase_ms, keyword_ms = [], [], [], [], []
        bm25_long_ms, hybrid_long_ms = [], []
        for warm in probes[:10]:  # warm the caches
            conn.execute("select * from knowledge.hybrid_search(%s, %s, %s, %s, %s)", (tenant, warm[1], warm[0], model, k))
        for vector, text, _, sentence in probes:
            started = time.perf_counter()
            conn.execute("select * from knowledge.search_chunks_bm25(%s, %s, %s)", (tenant, sentence, k)).fetchall()
            bm25_long_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            conn.execute("select * from knowledge.hybrid_search(%s, %s, %s, %s, %s)",
                         (tenant, sentence, vector, model, k)).fetchall()
            hybrid_long_ms.append((time.perf_counter() - started) * 1000)
        for vector, text, _, _ in probes:
            started = time.perf_counter()
            found = conn.execute("select c.chunk_index from knowledge.search_chunks_vector(%s, %s, %s, %s) v "
                                 "join knowledge.chunks c on c.tenant_id = %s and c.id = v.chunk_id",
                                 (tenant, model, vector, k, tenant)).fetchall()
            vector_ms.append((time.perf_counter() - started) * 1000)
            scores = corpus.vectors[mask] @ vector
            exact = set(np.flatnonzero(mask)[np.argsort(-scores)[:k]].tolist())
            recalls.append(len(exact & {r[0] for r in found}) / k)

            started = time.perf_counter()
            conn.execute("select * from knowledge.hybrid_search(%s, %s, %s, %s, %s)",
                         (tenant, text, vector, model, k)).fetchall()
            hybrid_ms.append((time.perf_counter() - started) * 1000)

            started = time.perf_counter()
            conn.execute("select * from knowledge.search_chunks_keyword(%s, %s, %s)", (tenant, text, k)).fetchall()
            keyword_ms.append((time.perf_counter() - started) * 1000)

        # the comparison queries get the schema shape they were written for: a stored
        # english tsvector column with a GIN index (chunks.search_text is virtual)
        conn.execute("alter table knowledge.chunks add column fts tsvector "
                     "generated always as (to_tsvector('english', content)) stored")
        conn.execute("create index on knowledge.chunks using gin (fts)")
        conn.execute("analyze knowledge.chunks")
        for vector, text, _, _ in probes[: max(5, queries // 10)]:
            started = time.perf_counter()
            conn.execute(SEED_WEIGHTED.format(dims=dims), (tenant, model, vector, text, k)).fetchall()
            weighted_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            conn.execute(SUPABASE_RRF.format(dims=dims), {"q": vector, "text": text, "t": tenant, "m": model,
                                                          "k": k}).fetchall()
            supabase_ms.append((time.perf_counter() - started) * 1000)
    result.recall_at_k = round(statistics.fmean(recalls), 4)
    result.figures = {
        "hybrid_search (default: weighted, BM25 + vector, 2-word query)": _percentiles(hybrid_ms),
        "hybrid_search (default: weighted, BM25 + vector, 12-word query)": _percentiles(hybrid_long_ms),
        "BM25 leg (12-word query)": _percentiles(bm25_long_ms),
        "vector leg (HNSW, tenant filter)": _percentiles(vector_ms),
        "ts_rank keyword leg (2-word query)": _percentiles(keyword_ms),
        "seed weighted query (0.7 vector + 0.3 ts_rank, no index)": _percentiles(weighted_ms),
        "Supabase-style RRF query": _percentiles(supabase_ms),
    }
    return result


# cirkelline's formula as the seed writes it (on its stored tsvector, here the scratch
# column fts): every row of the tenant is scored.
SEED_WEIGHTED = """
select id from knowledge.chunks
where tenant_id = %s and embedding_model_id = %s
order by (1 - (embedding::vector({dims}) <=> %s::vector({dims}))) * 0.7
         + ts_rank(fts, plainto_tsquery('english', %s)) * 0.3 desc
limit %s
"""

# The hybrid search function of Supabase's guide, inlined: two CTEs of 2k, full outer
# join, reciprocal rank fusion with k = 50.
SUPABASE_RRF = """
with full_text as (
    select id, row_number() over (order by ts_rank_cd(fts, websearch_to_tsquery(%(text)s)) desc) as rank_ix
    from knowledge.chunks
    where tenant_id = %(t)s and fts @@ websearch_to_tsquery(%(text)s)
    order by rank_ix
    limit %(k)s * 2
),
semantic as (
    select id, row_number() over (order by embedding::vector({dims}) <=> %(q)s::vector({dims})) as rank_ix
    from knowledge.chunks
    where tenant_id = %(t)s and embedding_model_id = %(m)s
    order by rank_ix
    limit %(k)s * 2
)
select coalesce(full_text.id, semantic.id) as id
from full_text full outer join semantic on full_text.id = semantic.id
order by coalesce(1.0 / (50 + full_text.rank_ix), 0.0) + coalesce(1.0 / (50 + semantic.rank_ix), 0.0) desc
limit %(k)s
"""
