"""Retrieval quality on real text: passages of the Python documentation (Debian's
python3.11-doc, or any directory of .rst/.txt/.md files), queries made by the inverse
cloze task (one sentence taken out of a passage is the query; that passage, without the
sentence, is the one answer), embeddings from all-MiniLM-L6-v2. Prints MRR@10, recall@10
and latency for each way of searching, all on the same scratch database."""

from __future__ import annotations

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

from . import migrator
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


def run(server_url: str, project: Project, embedder: Embedder, corpus: Path = DEFAULT_CORPUS,
        limit: int = 5000, queries: int = 300, k: int = 10,
        report: Callable[[str], None] = print) -> QualityResult:
    texts = passages(corpus, limit)
    probes = _queries(texts, queries)  # takes the query sentences out of their passages
    report(f"{len(texts)} passages from {corpus}, {len(probes)} inverse-cloze queries; embedding with {embedder.name}")
    started = time.perf_counter()
    vectors = np.array(embedder.embed(texts), dtype=np.float32)
    query_vectors = np.array(embedder.embed([q for _, q in probes]), dtype=np.float32)
    report(f"embedded in {time.perf_counter() - started:.0f} s")
    name = f"agentdb_quality_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_url, dbname=name)
    try:
        return _measure(url, project, embedder, texts, vectors, probes, query_vectors, k, report)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _measure(url, project, embedder, texts, vectors, probes, query_vectors, k, report) -> QualityResult:
    migrator.migrate(url, project, migrator.Settings())
    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
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
        conn.execute("vacuum analyze knowledge.chunks")
        modes = {
            "keyword, built-in ts_rank": ("select c.chunk_index from knowledge.search_chunks_keyword(%(t)s, %(q)s, %(k)s)"
                                          " s join knowledge.chunks c on c.id = s.chunk_id order by s.rank", False),
            "keyword, BM25": ("select c.chunk_index from knowledge.search_chunks_bm25(%(t)s, %(q)s, %(k)s) s "
                              "join knowledge.chunks c on c.id = s.chunk_id order by s.rank", False),
            "vector only": ("select c.chunk_index from knowledge.search_chunks_vector(%(t)s, %(m)s, %(v)s, %(k)s) s "
                            "join knowledge.chunks c on c.id = s.chunk_id order by s.rank", True),
            "hybrid, rrf (BM25 + vector)": ("select c.chunk_index from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, "
                                            "%(m)s, %(k)s, 'rrf') s join knowledge.chunks c on c.id = s.chunk_id", True),
            "hybrid, weighted 0.7/0.3 (BM25 + vector)": (
                "select c.chunk_index from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, 'weighted', "
                "p_vector_weight => 0.7, p_keyword_weight => 0.3) s join knowledge.chunks c on c.id = s.chunk_id",
                True),
            "hybrid, weighted 0.5/0.5 (BM25 + vector)": (
                "select c.chunk_index from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, 'weighted', "
                "p_vector_weight => 0.5, p_keyword_weight => 0.5) s join knowledge.chunks c on c.id = s.chunk_id",
                True),
            "hybrid, rrf (ts_rank + vector)": (
                "select c.chunk_index from knowledge.hybrid_search(%(t)s, %(q)s, %(v)s, %(m)s, %(k)s, 'rrf', "
                "p_keyword_leg => 'ts_rank') s join knowledge.chunks c on c.id = s.chunk_id", True),
        }
        result = QualityResult(len(texts), len(probes))
        for label, (statement, _) in modes.items():
            reciprocal, hits, timings = [], [], []
            for (answer, query), vector in zip(probes, query_vectors):
                started = time.perf_counter()
                found = [r[0] for r in conn.execute(statement, {"t": tenant, "q": query, "v": vector, "m": model,
                                                                "k": k})]
                timings.append((time.perf_counter() - started) * 1000)
                rank = found.index(answer) + 1 if answer in found else None
                reciprocal.append(1 / rank if rank else 0.0)
                hits.append(1.0 if rank else 0.0)
            ordered = sorted(timings)
            result.rows.append({
                "search": label,
                "mrr@10": round(statistics.fmean(reciprocal), 4),
                "recall@10": round(statistics.fmean(hits), 4),
                "p50_ms": round(ordered[len(ordered) // 2], 2),
                "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2),
            })
            report(f"{label}: MRR@10 {result.rows[-1]['mrr@10']}")
    return result
