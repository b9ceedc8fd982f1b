"""A session on a worker keeps its memory however long it lives.

Citus 14.0.1 plans anew, and keeps, a local plan each time a cached statement whose shard is
pruned at run time runs on the node holding that shard (citusdata/citus#8824, fixed after
14.0.1): a trigger on a shard, or a function Citus delegates to the worker, ran such
statements in the long-lived sessions Citus opens from the coordinator, and each insert of a
message grew the session by ~70 kB (2.3 GB in a few minutes of writes, slowing every insert
and stalling shard moves). `agentdb distribute` gives those functions custom plans (plan
kind "custom plans"), which are never cached."""

from __future__ import annotations

import uuid

import psycopg

GROWTH_LIMIT = 2_000_000  # bytes over 300 inserts; the leak grew ~20 MB


def _worker_url(conn, node_urls: list[str], tenant: str) -> str:
    port = conn.execute("select nodeport from pg_dist_shard_placement where shardid = "
                        "get_shard_id_for_distribution_column('chat.messages', %s::uuid)", (tenant,)).fetchone()[0]
    return next(u for u in node_urls if f":{port}/" in u)


def _cached_plan_bytes(conn) -> int:
    return conn.execute("select coalesce(sum(total_bytes), 0) from pg_backend_memory_contexts "
                        "where name = 'CachedPlan'").fetchone()[0]


def test_inserts_with_triggers_on_a_workers_shard_do_not_grow_the_session(db_conn, node_urls):
    tenant = str(uuid.uuid4())
    with db_conn.transaction():
        db_conn.execute("insert into core.tenants (id, slug, name) values (%s, 'memory', 'Memory')", (tenant,))
        conversation = db_conn.execute("insert into chat.conversations (tenant_id, title) values (%s, 'm') "
                                       "returning id", (tenant,)).fetchone()[0]
    db_conn.commit()
    # the worker's own session, as Citus' connection from the coordinator is: the message
    # triggers run on the local shard (the statement itself is not prepared: prepare_threshold)
    with psycopg.connect(_worker_url(db_conn, node_urls, tenant), autocommit=True, prepare_threshold=None) as worker:
        def insert(count: int) -> None:
            for i in range(count):
                worker.execute("insert into chat.messages (tenant_id, conversation_id, role, content, tags) "
                               "values (%s, %s, 'user', %s, '{}')", (tenant, conversation, f"rotate the tokens {i}"))

        insert(50)  # plans made and cached
        settled = _cached_plan_bytes(worker)
        insert(300)
        grown = _cached_plan_bytes(worker) - settled
    assert grown < GROWTH_LIMIT, f"the worker session's cached plans grew by {grown} bytes over 300 inserts"
    assert db_conn.execute("select count(*) from chat.messages where tenant_id = %s", (tenant,)).fetchone()[0] == 350
