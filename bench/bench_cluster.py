"""The cluster row: hybrid search p50/p95 and message ingest on a local Citus cluster
(coordinator + 2 workers, started here under the bench home and stopped afterwards) beside
the single-node bench server, on the same data: one corpus loaded on the single node (its
triggers build the BM25 postings), then copied table by table onto the distributed schema
(COPY with the triggers off: the rows, postings and statistics as they are), which is also
how an existing single-node database moves onto a cluster. With the routing evidence: the
remote commands Citus sends for one call (citus.log_remote_commands)."""

from __future__ import annotations

import os
import re
import time
import uuid

import numpy as np
import psycopg
from common import ROOT, load, machine, scratch_database, server_url
from pgvector.psycopg import register_vector
from psycopg import sql

from toolkit import citus_distribute, cluster, cluster_build, config, migrator
from toolkit.searchbench import Corpus, _percentiles

ROWS = int(os.environ.get("AGENTDB_BENCH_CLUSTER_ROWS", "20000"))
DIMS = 128
TENANTS = 8
QUERIES = int(os.environ.get("AGENTDB_BENCH_CLUSTER_QUERIES", "200"))
INGEST = int(os.environ.get("AGENTDB_BENCH_CLUSTER_INGEST", "1500"))
HOME = ROOT / ".agentdb" / "bench"
TRIGGER_GAPS = ("functions used in the DO UPDATE SET clause", "complex table expressions")
SERVER = re.compile(r"on server \S+@([^:]+):(\d+)")


def load_single(url: str, project: config.Project, corpus: Corpus, tenants: list[str]) -> int:
    migrator.migrate(url, project, migrator.Settings())
    with psycopg.connect(url) as conn:
        register_vector(conn)
        for i, tenant in enumerate(tenants):
            conn.execute("insert into core.tenants (id, slug, name) values (%s, %s, %s)", (tenant, f"b{i}", f"B{i}"))
        model = conn.execute("select knowledge.register_embedding_model('bench', %s)", (DIMS,)).fetchone()[0]
        documents = [conn.execute("insert into knowledge.documents (tenant_id, name) values (%s, 'bench') "
                                  "returning id", (t,)).fetchone()[0] for t in tenants]
        conn.execute("select set_config('agentdb.defer_keyword_index', 'on', true)")
        with conn.cursor().copy("copy knowledge.chunks (tenant_id, document_id, chunk_index, content, embedding, "
                                "embedding_model_id) from stdin with (format binary)") as copy:
            copy.set_types(["uuid", "uuid", "int4", "text", "vector", "int4"])
            for i in range(ROWS):
                t = int(corpus.tenant_of[i]) % len(tenants)
                copy.write_row((uuid.UUID(tenants[t]), documents[t], i, corpus.texts[i], corpus.vectors[i], model))
        conn.commit()
        conn.execute("select knowledge.index_pending_chunks()")
        for t, tenant in enumerate(tenants):
            conn.execute("insert into chat.conversations (id, tenant_id, title) values (%s, %s, 'bench')",
                         (_conversation(tenant), tenant))
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("analyze")
    return model


def _conversation(tenant: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench-conversation-{tenant}"))


def _columns(conn, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "select attname from pg_attribute where attrelid = %s::regclass and attnum > 0 and not attisdropped "
        "and attgenerated = '' order by attnum", (table,))]


def copy_to_cluster(single_url: str, cluster_url: str, tenants: list[str]) -> dict[str, int]:
    """The bench tenants' rows of every table, single node -> cluster, triggers off."""
    copied = {}
    with psycopg.connect(single_url) as src, psycopg.connect(cluster_url) as dst:
        tables = ["core.tenants"] + [r[0] for r in dst.execute(
            "select table_name from ops.citus_distribution_plan() where kind = 'distributed' order by step")]
        dst.execute("set local session_replication_role = replica")  # reaches the workers (SET LOCAL)
        for table in tables:
            key = "id" if table == "core.tenants" else "tenant_id"
            if not src.execute(f"select exists (select 1 from {table} where {key} = any(%s::uuid[]))",
                               (tenants,)).fetchone()[0]:
                continue
            columns = sql.SQL(", ").join(sql.Identifier(c) for c in _columns(src, table))
            out = sql.SQL("copy (select {} from {} where {} = any({})) to stdout (format binary)").format(
                columns, sql.SQL(table), sql.Identifier(key), sql.Literal("{" + ",".join(tenants) + "}"))
            into = sql.SQL("copy {} ({}) from stdin (format binary)").format(sql.SQL(table), columns)
            rows = 0
            with src.cursor().copy(out) as reader, dst.cursor().copy(into) as writer:
                for block in reader:
                    writer.write(block)
            rows = dst.execute(f"select count(*) from {table} where {key} = any(%s::uuid[])", (tenants,)).fetchone()[0]
            copied[table] = rows
        dst.commit()
    with psycopg.connect(cluster_url, autocommit=True) as conn:
        conn.execute("analyze")
    return copied


def search_latency(urls: list[str], corpus_seed: int, tenants: list[str], model: int) -> list[dict]:
    """p50/p95 per URL of the same queries, interleaved (query i on each URL in turn) so a
    shared machine's load falls on both alike."""
    corpus = Corpus(ROWS, DIMS, TENANTS, seed=corpus_seed)
    samples: list[list[float]] = [[] for _ in urls]
    conns = [psycopg.connect(url, autocommit=True) for url in urls]
    try:
        for conn in conns:
            register_vector(conn)
        for i in range(QUERIES + 10):
            vector, _text, _label, sentence = corpus.query(DIMS)
            for conn, times in zip(conns, samples):
                started = time.perf_counter()
                conn.execute("select * from knowledge.hybrid_search(%s::uuid, %s, %s, %s)",
                             (tenants[i % len(tenants)], sentence, vector, model)).fetchall()
                if i >= 10:  # warm-up
                    times.append((time.perf_counter() - started) * 1000)
    finally:
        for conn in conns:
            conn.close()
    return [_percentiles(times) for times in samples]


def call_overhead(urls: list[str], tenant: str, calls: int = 300) -> list[dict]:
    """p50/p95 of a routed call that finds nothing (search_chunks_bm25 of a word no chunk has):
    what routing itself costs, interleaved like the searches."""
    samples: list[list[float]] = [[] for _ in urls]
    conns = [psycopg.connect(url, autocommit=True) for url in urls]
    try:
        for i in range(calls + 20):
            for conn, times in zip(conns, samples):
                started = time.perf_counter()
                conn.execute("select * from knowledge.search_chunks_bm25(%s::uuid, 'zzzunknownword')",
                             (tenant,)).fetchall()
                if i >= 20:
                    times.append((time.perf_counter() - started) * 1000)
    finally:
        for conn in conns:
            conn.close()
    return [_percentiles(times) for times in samples]


def triggers_work(url: str, tenant: str) -> bool:
    with psycopg.connect(url) as conn:
        try:
            conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content) "
                         "values (%s, %s, 'user', 'probe')", (tenant, _conversation(tenant)))
        except psycopg.Error as exc:
            if any(g in str(exc) for g in TRIGGER_GAPS):
                return False
            raise
        finally:
            conn.rollback()
    return True


def ingest_rate(url: str, tenants: list[str], triggers: bool) -> float:
    """Messages per second, one row per transaction, one client, round-robin over the tenants,
    synchronous_commit off (as the cluster's nodes run)."""
    with psycopg.connect(url) as conn:
        # the same durability on both: the cluster's nodes run synchronous_commit = off
        conn.execute("set synchronous_commit = off")
        conn.commit()
        started = time.perf_counter()
        for i in range(INGEST):
            tenant = tenants[i % len(tenants)]
            with conn.transaction():
                if not triggers:
                    conn.execute("set local session_replication_role = replica")
                conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content, tags) "
                             "values (%s, %s, 'user', %s, '{}')", (tenant, _conversation(tenant), f"ingest w{i % 200}"))
        return INGEST / (time.perf_counter() - started)


def remote_commands(url: str, statement: str, params) -> list[tuple[str, str]]:
    seen = []

    def notice(diag):
        where = SERVER.search(diag.message_detail or "")
        if (diag.message_primary or "").startswith("issuing ") and where:
            seen.append((where.group(2), diag.message_primary[8:60]))

    with psycopg.connect(url, autocommit=True) as conn:
        register_vector(conn)
        conn.add_notice_handler(notice)
        conn.execute("set citus.log_remote_commands = on")
        conn.execute("set client_min_messages = notice")
        conn.execute(statement, params).fetchall()
    return seen


def start_cluster() -> tuple[str, list]:
    states = cluster.start(HOME, 2, cluster_build.default_source(ROOT), lambda line: None)
    nodes = [s.node for s in states]
    name = f"agentdb_bench_cluster_{uuid.uuid4().hex[:6]}"
    for node in nodes:
        with psycopg.connect(node.url, autocommit=True) as conn:
            conn.execute("set client_min_messages = warning")
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    for worker in nodes[1:]:
        cluster._register(nodes[0], worker, name)
    url = nodes[0].url_for(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select citus_set_coordinator_host(%s, %s)", (cluster.HOST, nodes[0].port))
    return url, nodes


def drop_everywhere(nodes, url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    for node in nodes:
        with psycopg.connect(node.url, autocommit=True) as conn:
            conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def main() -> None:
    print(f"machine: {machine()}; load before: {load()}")
    project = config.Project(ROOT)
    corpus = Corpus(ROWS, DIMS, TENANTS, seed=7)
    tenants = [str(uuid.UUID(int=0x01900000_0000_7000_8000_0000000b0000 + i)) for i in range(TENANTS)]
    began = time.monotonic()
    cluster_url, nodes = start_cluster()
    print(f"cluster: coordinator + {len(nodes) - 1} workers under {cluster.cluster_dir(HOME)}, "
          f"ready in {time.monotonic() - began:.1f} s")
    try:
        with scratch_database(server_url()) as single_url:
            model = load_single(single_url, project, corpus, tenants)
            migrator.migrate(cluster_url, project, migrator.Settings())
            citus_distribute.apply(cluster_url, project, lambda line: None)
            with psycopg.connect(cluster_url) as conn:
                assert conn.execute("select knowledge.register_embedding_model('bench', %s)",
                                    (DIMS,)).fetchone()[0] == model
                conn.commit()
            started = time.monotonic()
            copied = copy_to_cluster(single_url, cluster_url, tenants)
            print(f"{ROWS:,} chunks x {DIMS} dims in {TENANTS} tenants; copied onto the cluster "
                  f"({sum(copied.values()):,} rows in {len(copied)} tables) in {time.monotonic() - started:.1f} s")
            for label, url in (("single node", single_url), ("cluster", cluster_url)):
                with psycopg.connect(url) as conn:
                    settings = conn.execute("select string_agg(name || '=' || setting, ', ' order by name) from "
                                            "pg_settings where name in ('fsync', 'shared_buffers', 'jit', "
                                            "'synchronous_commit', 'work_mem')").fetchone()[0]
                print(f"{label}: {settings}")
            with psycopg.connect(cluster_url) as conn:
                shards = conn.execute("select count(distinct get_shard_id_for_distribution_column('knowledge.chunks', "
                                      "t::uuid)) from unnest(%s::text[]) as t", (tenants,)).fetchone()[0]
            print(f"the {TENANTS} tenants' chunks sit in {shards} shards: each tenant's HNSW and BM25 data is its "
                  "shard's (single node: one index over every tenant, filtered)")
            print(f"\nhybrid_search (12-word query + vector, k 10), {QUERIES} queries over {TENANTS} tenants, "
                  f"each on both in turn; load now: {load()}")
            single, distributed = search_latency([single_url, cluster_url], 11, tenants, model)
            print(f"  single node: p50 {single['p50_ms']} ms, p95 {single['p95_ms']} ms")
            print(f"  cluster:     p50 {distributed['p50_ms']} ms, p95 {distributed['p95_ms']} ms "
                  f"({distributed['p50_ms'] / max(single['p50_ms'], 0.01):.2f}x p50); load now: {load()}")
            empty_single, empty_cluster = call_overhead([single_url, cluster_url], tenants[0])
            print(f"  a routed call that finds nothing (search_chunks_bm25, unknown word): single node p50 "
                  f"{empty_single['p50_ms']} ms, cluster p50 {empty_cluster['p50_ms']} ms "
                  f"(+{empty_cluster['p50_ms'] - empty_single['p50_ms']:.2f} ms: the coordinator and one hop)")
            vector = corpus.query(DIMS)[0]
            seen = remote_commands(cluster_url, "select * from knowledge.hybrid_search(%s::uuid, %s, %s, %s)",
                                   (tenants[0], "w1 w2 w3", vector, model))
            print(f"  routing: one hybrid_search call = {len(seen)} remote command(s) to "
                  f"{len({p for p, _ in seen})} node(s): {[c for _, c in seen]}")
            triggers = triggers_work(cluster_url, tenants[0])
            note = "" if triggers else " (triggers off on both: the message triggers' known cluster gaps)"
            print(f"\nmessage ingest, one row per transaction, one client, {INGEST} rows{note}")
            rate_single = ingest_rate(single_url, tenants, triggers)
            print(f"  single node: {rate_single:,.0f} messages/s")
            rate_cluster = ingest_rate(cluster_url, tenants, triggers)
            print(f"  cluster:     {rate_cluster:,.0f} messages/s ({rate_cluster / rate_single:.2f}x); load now: {load()}")
            seen = remote_commands(cluster_url, "insert into chat.messages (tenant_id, conversation_id, role, content, "
                                   "tags) values (%s, %s, 'user', 'routed', '{}') returning id"
                                   if triggers else "select 1", (tenants[0], _conversation(tenants[0])) if triggers
                                   else None)
            if triggers:
                print(f"  routing: one insert = {len(seen)} remote command(s) to {len({p for p, _ in seen})} node(s)")
    finally:
        try:
            drop_everywhere(nodes, cluster_url)
        finally:
            cluster.stop(HOME)
    print(f"\ncluster stopped; total {time.monotonic() - began:.0f} s; load after: {load()}")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
