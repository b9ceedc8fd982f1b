"""A search benchmark a DBA can run against any server: synthetic clustered vectors with
text in a scratch database, then latency percentiles of hybrid search with a tenant
filter, each leg beside the plain statement it wraps, recall@k of the vector leg against
exact search (at several ef_search), exact BM25 against the textbook and the truncated
statement, binary COPY ingest rate (keyword indexing deferred, as a bulk load does), and
the build times of the keyword and HNSW indexes."""

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

from . import benchsql, migrator
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
    leg_ef_search: int = 0  # the ef_search the vector leg chose for the queried tenant
    tenant_index_seconds: float = 0.0  # build of the second tenant's own HNSW index


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
        keep: bool = False, own_index: bool = True) -> SearchBenchResult:
    name = f"agentdb_searchbench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    try:
        return _run(url, project, rows, dims, tenants, queries, k, report, own_index)
    finally:
        if not keep:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _run(url, project, rows, dims, tenants, queries, k, report, own_index=True) -> SearchBenchResult:
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
        own_index = own_index and len(tenant_ids) > 1
        if own_index:
            report("HNSW index of a second tenant's own chunks")
            started = time.perf_counter()
            embedding_indexes.build_tenant(url, model, tenant_ids[1])
            result.tenant_index_seconds = round(time.perf_counter() - started, 1)
            conn.execute("analyze knowledge.chunks")
        _measure(conn, result, corpus, tenant_ids[0], model, dims, queries, k,
                 own=tenant_ids[1] if own_index else None)
    return result


def _timed(conn, statement: str, params: dict, setup: tuple[str, ...] = ()) -> tuple[float, list]:
    for line in setup:
        conn.execute(line)
    started = time.perf_counter()
    rows = conn.execute(statement, params).fetchall()
    elapsed = (time.perf_counter() - started) * 1000
    if setup:
        conn.execute("reset all")
    return elapsed, [r[0] for r in rows]


def _measure(conn, result: SearchBenchResult, corpus: Corpus, tenant, model: int, dims: int, queries: int,
             k: int, own=None) -> None:
    """Each function beside the plain statement it wraps, interleaved query by query (in a
    rotating order) so the machine's load and the caches fall on all alike."""
    probes = [corpus.query(dims) for _ in range(queries)]
    mask = corpus.tenant_of == 0
    index_of = dict(conn.execute("select id, chunk_index from knowledge.chunks where tenant_id = %s", (tenant,)))
    leg_ef = conn.execute(benchsql.LEG_EF_SEARCH, {"t": tenant}).fetchone()[0]
    result.leg_ef_search = leg_ef
    hnsw = ("set hnsw.iterative_scan = relaxed_order", f"set hnsw.ef_search = {leg_ef}")
    timed = {
        "hybrid_search, defaults, 2-word query": ("select chunk_id from knowledge.hybrid_search(%(t)s, %(q2)s, %(v)s, "
                                                 "%(m)s, %(k)s)", ()),
        "hybrid_search, defaults, 12-word query": ("select chunk_id from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, "
                                                  "%(m)s, %(k)s)", ()),
        "hybrid_search, p_candidates 20 (the former default), 12-word query": (
            "select chunk_id from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, p_candidates => 20)", ()),
        "hybrid_search, p_candidates 100, 12-word query": ("select chunk_id from knowledge.hybrid_search(%(t)s, %(q)s, "
                                                          "%(v)s, %(m)s, %(k)s, p_candidates => 100)", ()),
        VECTOR_LEG: ("select chunk_id from knowledge.search_chunks_vector(%(t)s, "
                                                           "%(m)s, %(v)s, %(k)s)", ()),
        PLAIN_HNSW: (benchsql.HNSW_PLAIN.format(dims=dims), hnsw),
        "BM25 leg, exact (search_chunks_bm25), 12-word query": ("select chunk_id from knowledge.search_chunks_bm25("
                                                               "%(t)s, %(q)s, %(k)s)", ()),
        "BM25 textbook, one plain statement (every posting)": (benchsql.BM25_TEXTBOOK, ()),
        "BM25 truncated, one plain statement (the former leg)": (benchsql.BM25_TRUNCATED, ()),
    }
    if own is not None:
        # a second tenant (also 10 % of the rows) with an HNSW index of its own, in the same
        # rotation; the tenant as a literal, as the leg writes it, so the plain statement's
        # plan can take the partial index too
        plain = benchsql.HNSW_PLAIN.format(dims=dims).replace("%(t)s", f"'{own}'::uuid")
        timed.update({
            OWN_LEG: ("select chunk_id from knowledge.search_chunks_vector(%(t1)s, %(m)s, %(v)s, %(k)s)", ()),
            OWN_PLAIN: (plain, ("set hnsw.iterative_scan = relaxed_order", "set hnsw.ef_search = 40")),
            OWN_HYBRID2: ("select chunk_id from knowledge.hybrid_search(%(t1)s, %(q2)s, %(v)s, %(m)s, %(k)s)", ()),
            OWN_HYBRID12: ("select chunk_id from knowledge.hybrid_search(%(t1)s, %(q)s, %(v)s, %(m)s, %(k)s)", ()),
        })
    for ef in EF_SEARCH:
        timed[f"vector leg, ef_search {ef}"] = (f"select chunk_id from knowledge.search_chunks_vector(%(t)s, %(m)s, "
                                                f"%(v)s, %(k)s, p_ef_search => {ef})", ())
    found = _interleaved(conn, result, timed, probes, tenant, model, k, own)
    exact = []
    for vector, *_ in probes:
        scores = corpus.vectors[mask] @ vector
        exact.append(set(np.flatnonzero(mask)[np.argsort(-scores)[:k]].tolist()))
    for name in [VECTOR_LEG, PLAIN_HNSW] + [f"vector leg, ef_search {ef}" for ef in EF_SEARCH]:
        result.figures[name]["recall@k"] = _recall(exact, found[name], index_of, k)
    result.recall_at_k = result.figures[VECTOR_LEG]["recall@k"]
    if own is not None:
        mask = corpus.tenant_of == 1
        index_of = dict(conn.execute("select id, chunk_index from knowledge.chunks where tenant_id = %s", (own,)))
        exact = [set(np.flatnonzero(mask)[np.argsort(-(corpus.vectors[mask] @ vector))[:k]].tolist())
                 for vector, *_ in probes]
        for name in (OWN_LEG, OWN_PLAIN):
            result.figures[name]["recall@k"] = _recall(exact, found[name], index_of, k)
    textbook = found["BM25 textbook, one plain statement (every posting)"]
    for name in ("BM25 leg, exact (search_chunks_bm25), 12-word query",
                 "BM25 truncated, one plain statement (the former leg)"):
        same = sum(a == b for a, b in zip(found[name], textbook))
        result.figures[name]["same top-k as textbook"] = f"{same}/{len(textbook)}"


def _interleaved(conn, result: SearchBenchResult, timed: dict, probes: list, tenant, model: int, k: int,
                 own=None) -> dict:
    """Each statement once per query, in a rotating order (whoever runs first for a query
    meets colder caches), the first ten queries only warming; percentiles into
    result.figures; returns the ids each statement found, query by query."""
    samples: dict[str, list[float]] = {name: [] for name in timed}
    found: dict[str, list[list]] = {name: [] for name in timed}
    for number, (vector, text, _, sentence) in enumerate(probes[:10] + probes):
        params = {"t": tenant, "t1": own, "q": sentence, "q2": text, "v": vector, "m": model, "k": k}
        order = list(timed.items())
        turn = number % len(order)
        for name, (statement, setup) in order[turn:] + order[:turn]:
            elapsed, ids = _timed(conn, statement, params, setup)
            if number >= 10:
                samples[name].append(elapsed)
                found[name].append(ids)
    for name, values in samples.items():
        result.figures[name] = _percentiles(values)
    return found


def _recall(exact: list[set], found: list[list], index_of: dict, k: int) -> float:
    return round(statistics.fmean(len(want & {index_of[i] for i in got}) / k for want, got in zip(exact, found)), 4)


OWN_LEG = "vector leg, a tenant with its own HNSW index (default ef_search 40)"
OWN_PLAIN = "plain HNSW statement, a tenant with its own HNSW index (ef_search 40)"
OWN_HYBRID2 = "hybrid_search, defaults, 2-word query, a tenant with its own HNSW index"
OWN_HYBRID12 = "hybrid_search, defaults, 12-word query, a tenant with its own HNSW index"
EF_SEARCH = (64, 240, 1000)
VECTOR_LEG = "vector leg (search_chunks_vector, default ef_search)"
PLAIN_HNSW = "plain HNSW statement (iterative scan, the leg's ef_search)"
