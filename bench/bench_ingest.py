"""Ingest and the local embedder, as a user runs them: `agentdb ingest` of a real HTML
documentation set (Debian's valgrind package, /usr/share/doc/valgrind/html) as the owner
(binary COPY) and as an application login under row-level security (COPY into a staging
table, then one insert ... select); `agentdb search` end to end (process start to exit)
keyword-only, with onnx:all-MiniLM-L6-v2 and with sentence-transformers:all-MiniLM-L6-v2;
and both runtimes' embedding rate on chunks of the corpus."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from common import ROOT, machine, scratch_database, server_url, summary
from toolkit import config, migrator

CORPUS = Path(os.environ.get("AGENTDB_BENCH_INGEST_CORPUS", "/usr/share/doc/valgrind/html"))
AGENTDB = str(Path(sys.executable).with_name("agentdb"))
QUERY = "how do I find memory leaks in my program"
EMBED_CHUNKS = 64


def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(*args: str, url: str, cpu: list | None = None) -> tuple[float, str]:
    """Wall seconds of one `agentdb` process; its CPU seconds (user + system, all threads)
    appended to `cpu`: on a machine shared by eight engineers the CPU time is the steadier
    figure, the wall time what a user waits."""
    before = cpu_children()
    started = time.perf_counter()
    done = subprocess.run([AGENTDB, *args, "--database-url", url], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"agentdb {' '.join(args)} failed: {done.stderr.strip()[-300:]}")
    if cpu is not None:
        cpu.append((cpu_children() - before) * 1000)
    return elapsed, done.stderr


def chunks_of(stderr: str) -> int:
    match = re.search(r"(\d+) chunks", stderr)
    return int(match.group(1)) if match else 0


def app_login(url: str) -> tuple[str, str]:
    name = f"bench_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        app = conn.execute("select name from ops.roles where kind = 'app'").fetchone()[0]
        conn.execute(sql.SQL("create role {} login in role {}").format(sql.Identifier(name), sql.Identifier(app)))
    return name, psycopg.conninfo.make_conninfo(url, user=name)


def ingest_rows(base: str) -> str:
    """Keyword-only ingest of the whole corpus, as the owner and as an app login; returns
    the URL of a database (kept) holding the app login's load plus a few embedded files."""
    files = sorted(CORPUS.rglob("*.html"))
    print(f"corpus: {CORPUS} ({len(files)} HTML files, {sum(p.stat().st_size for p in files) / 2**20:.1f} MB)")
    kept = None
    for who in ("owner (binary COPY)", "app login under RLS (staged COPY + insert ... select)"):
        context = scratch_database(base)
        url = context.__enter__()
        migrator.migrate(url, config.Project(ROOT), migrator.Settings())
        role, target = app_login(url) if who.startswith("app") else (None, url)
        cpu: list[float] = []
        seconds, said = run("ingest", str(CORPUS), "--tenant", "personal", url=target, cpu=cpu)
        n = chunks_of(said)
        print(f"ingest keyword-only as {who}: {seconds:.2f} s wall, {cpu[0] / 1000:.2f} s CPU of the client, "
              f"for {n} chunks ({n / seconds:.0f} chunks/s wall, process start included)")
        if role:
            kept = (context, url, role, target)
        else:
            context.__exit__(None, None, None)
    return kept


def embed_rate(files: list[Path]) -> list[str]:
    """Chunks of a few corpus files embedded in-process by both runtimes of the model."""
    from toolkit.chunking import chunk_document
    from toolkit.embedders import from_spec
    from toolkit.ingest.readers import raw_bytes, read

    texts = [c.text for f in files for c in chunk_document(read(f, raw_bytes(f)))][:EMBED_CHUNKS]
    for spec in ("onnx:all-MiniLM-L6-v2", "sentence-transformers:all-MiniLM-L6-v2"):
        embedder = from_spec(spec)
        embedder.embed(["warm up"])
        started, cpu = time.perf_counter(), time.process_time()
        embedder.embed(texts)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"embed {len(texts)} chunks with {spec}: {seconds:.1f} s wall, {cpu:.1f} s CPU "
              f"({len(texts) / cpu:.1f} chunks per CPU second)")
    return texts


def search_wall_time(url: str, target: str) -> None:
    sample = sorted(CORPUS.rglob("*.html"))[:3]
    run("model", "add", "all-MiniLM-L6-v2", "--dims", "384", url=url)  # the owner registers the model
    seconds, said = run("ingest", *map(str, sample), "--tenant", "personal", "--embedder", "onnx:all-MiniLM-L6-v2",
                        url=target)
    print(f"ingest with onnx:all-MiniLM-L6-v2 as the app login: {len(sample)} files, {chunks_of(said)} chunks "
          f"in {seconds:.1f} s (process start and model load included)")
    for spec, runs in ((None, 10), ("onnx:all-MiniLM-L6-v2", 10), ("sentence-transformers:all-MiniLM-L6-v2", 3)):
        extra = ["--embedder", spec] if spec else []
        cpu: list[float] = []
        samples = [run("search", QUERY, "--tenant", "personal", *extra, url=target, cpu=cpu)[0] * 1000
                   for _ in range(runs)]
        label = f"`agentdb search` end to end as the app login, {spec or 'keyword only'}"
        print(summary(label + ", wall", samples))
        print(summary(label + ", CPU of the client process", cpu))
        print(f"  load average now {os.getloadavg()[0]:.1f}")


def main() -> None:
    base = server_url()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start (a shared machine)")
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is missing (apt-get install valgrind, or set AGENTDB_BENCH_INGEST_CORPUS)")
        return
    context, url, role, target = ingest_rows(base)
    try:
        search_wall_time(url, target)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop owned by {}").format(sql.Identifier(role)))
            conn.execute(sql.SQL("drop role {}").format(sql.Identifier(role)))
        context.__exit__(None, None, None)
    embed_rate(sorted(CORPUS.rglob("*.html"))[:3])
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
