"""Growing the cluster while it is written to: a cluster of its own (coordinator + 2 workers,
under the cluster test home), agentdb migrated and distributed there, then `agentdb cluster
add-worker` and `agentdb cluster rebalance` (Citus' rebalancer, shards moved by logical
replication) while four writers insert messages for 30 s, one row per transaction, each in
its own tenant's conversation. Afterwards every acknowledged row is there exactly once and
the tenants' shards are spread over the three workers.

Isolating one large tenant (`agentdb distribute --isolate-tenant`) runs on a copy of the
shared template: its rows in every table, counted before and after, and a shard of its own."""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid

import psycopg
import pytest

from toolkit import citus_rebalance, cluster, listen

from ..helpers import run_cli
from .conftest import _home

WRITE_SECONDS = 30
WRITERS = 4
# The writers insert with every message trigger on (BM25 upkeep, the conversation's counters,
# the event outbox). Shards move with block_writes (the default): logical replication cannot
# fill agentdb's tables (forced row-level security; toolkit/citus_rebalance.py), and with it a
# move waited at its catch-up for ever once a trigger had updated a conversation.
WRITER_TRIGGERS = True


@pytest.fixture(scope="module")
def grown():
    """A fresh 2-worker cluster with agentdb distributed in its `postgres` database."""
    home = _home() / "grow"
    env = {"AGENTDB_HOME": str(home)}
    if home.exists():
        cluster.stop(home)
        shutil.rmtree(home)
    started = run_cli("cluster", "start", "--workers", "2", env=env)
    assert started.exit_code == 0, started.stderr
    url = started.stdout.strip()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("alter database postgres set citus.shard_count = 8")  # 8 shard groups: a short move
    assert run_cli("migrate", "--database-url", url, env=env).exit_code == 0
    distributed = run_cli("distribute", "--database-url", url, env=env)
    assert distributed.exit_code == 0, distributed.stderr
    yield home, url, env
    cluster.stop(home)
    shutil.rmtree(home, ignore_errors=True)


def _tenant_in(conn, shards: set[int], taken: set[int]) -> str:
    """A new tenant id whose shard of chat.messages is one of `shards` and not in `taken`."""
    for _ in range(10000):
        candidate = str(uuid.uuid4())
        shard = conn.execute("select get_shard_id_for_distribution_column('chat.messages', %s::uuid)",
                             (candidate,)).fetchone()[0]
        if shard in shards and shard not in taken:
            taken.add(shard)
            return candidate
    raise AssertionError("no tenant id found for the shards")


def _worker_of(conn, tenant: str) -> int:
    return conn.execute("select nodeport from pg_dist_shard_placement where shardid = "
                        "get_shard_id_for_distribution_column('chat.messages', %s::uuid)", (tenant,)).fetchone()[0]


def _writer(url: str, tenant: str, conversation, stop: threading.Event, acked: list, errors: list,
            triggers: bool) -> None:
    with psycopg.connect(url) as conn:
        n = 0
        while not stop.is_set():
            n += 1
            began = time.monotonic()
            try:
                with conn.transaction():
                    if not triggers:
                        conn.execute("set local session_replication_role = replica")
                    row = conn.execute(
                        "insert into chat.messages (tenant_id, conversation_id, role, content, tags) "
                        "values (%s, %s, 'user', %s, '{}') returning id", (tenant, conversation, f"write {n}")).fetchone()
                acked.append((row[0], time.monotonic() - began))  # the commit returned: acknowledged
            except psycopg.Error as exc:  # not acknowledged; a move's switch-over may refuse a write
                errors.append(str(exc).splitlines()[0])
                time.sleep(0.05)


def test_two_workers_to_three_while_four_writers_insert(grown):
    home, url, env = grown
    added = run_cli("cluster", "add-worker", "--no-rebalance", env=env)
    assert added.exit_code == 0, added.stderr
    nodes = cluster.load(home)
    assert len(nodes) == 4
    with psycopg.connect(url, autocommit=True) as conn:
        workers = {r[0] for r in conn.execute("select nodeport from pg_dist_node where groupid <> 0 and isactive")}
        assert len(workers) == 3
        planned = citus_rebalance.planned_moves(conn)
        assert planned, "the new worker should receive shards"
        # the moving groups, by their chat.messages shard
        moving = {r[0] for r in conn.execute(
            "select s2.shardid from pg_dist_shard as s1 join pg_dist_shard as s2 "
            "on s2.logicalrelid = 'chat.messages'::regclass and s2.shardminvalue = s1.shardminvalue "
            "where s1.shardid = any(%s)", ([p[1] for p in planned],))}
        every = {r[0] for r in conn.execute(
            "select shardid from pg_dist_shard where logicalrelid = 'chat.messages'::regclass")}
        # writers: two in groups that move, two in groups that stay; spread: one tenant per group
        taken: set[int] = set()
        writers = [_tenant_in(conn, moving, taken) for _ in range(2)]
        writers += [_tenant_in(conn, every - moving, taken) for _ in range(WRITERS - 2)]
        spread = [_tenant_in(conn, every, taken) for _ in range(len(every) - len(taken))]
        conversations = {}
        with conn.transaction():
            conn.execute("set local session_replication_role = replica")  # setup data (trigger gaps: conftest)
            for i, tenant in enumerate(writers + spread):
                conn.execute("insert into core.tenants (id, slug, name) values (%s, %s, %s)",
                             (tenant, f"grow-{i}", f"Grow {i}"))
                conversations[tenant] = conn.execute(
                    "insert into chat.conversations (tenant_id, title) values (%s, 'grow') returning id",
                    (tenant,)).fetchone()[0]
        before = {t: _worker_of(conn, t) for t in writers}
    triggers = WRITER_TRIGGERS

    stop = threading.Event()
    acked = {t: [] for t in writers}
    errors: list[str] = []
    threads = [threading.Thread(target=_writer, args=(url, t, conversations[t], stop, acked[t], errors, triggers))
               for t in writers]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(3)
    rebalanced = run_cli("cluster", "rebalance", "--database-url", url, env=env)
    moved_after = time.monotonic() - began
    time.sleep(max(0.0, WRITE_SECONDS - (time.monotonic() - began)))
    stop.set()
    for thread in threads:
        thread.join()
    assert rebalanced.exit_code == 0, rebalanced.stderr
    print(f"rebalance done {moved_after:.1f} s into the writes; acknowledged "
          f"{ {t[:8]: len(a) for t, a in acked.items()} }; longest write "
          f"{ {t[:8]: round(max((s for _, s in a), default=0), 2) for t, a in acked.items()} } s; refused writes {len(errors)} "
          f"{sorted(set(errors))[:3]}; triggers {'on' if triggers else 'off'}; "
          f"{rebalanced.stderr.strip().splitlines()[-1:]}")
    acked = {t: [i for i, _ in a] for t, a in acked.items()}

    with psycopg.connect(url) as conn:
        for tenant, ids in acked.items():
            assert len(ids) > 10, f"writer {tenant} barely wrote: {len(ids)}"
            stored = conn.execute("select id, count(*) from chat.messages where tenant_id = %s group by id",
                                  (tenant,)).fetchall()
            counts = dict(stored)
            assert all(c == 1 for c in counts.values()), "a row is there twice"
            missing = [i for i in ids if counts.get(i) != 1]
            assert not missing, (f"{len(missing)} acknowledged row(s) of tenant {tenant} missing (of {len(ids)}; "
                                 f"moved: {_worker_of(conn, tenant) != before[tenant]}), first {missing[:3]}")
        holders = {_worker_of(conn, t) for t in writers + spread}
        assert holders == workers, f"tenants on {holders}, workers {workers}"
        # shards moved while being written to (the rebalancer weighs shards by disk size, so
        # its moves may differ from the plan read before the writes; two writers sit in
        # groups that plan moved)
        moved = [t for t in writers if _worker_of(conn, t) != before[t]]
        assert moved and all(_worker_of(conn, t) == nodes[-1].port for t in moved), (before, moved)
        print(f"writers whose tenant moved to the new worker while writing: {len(moved)} of {WRITERS}")
        left = conn.execute("select count(*) from pg_dist_cleanup").fetchone()[0]
        assert left == 0
    # the new worker got the event outbox before shards landed on it: a moved tenant's new
    # message is heard there (one event; the setup rows above were written without triggers)
    listener = listen.Listener(url, ["agentdb_messages"])
    try:
        assert listener.nodes == 4, "the listener reads every worker's outbox"
        with psycopg.connect(url) as conn:
            conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content, tags) "
                         "values (%s, %s, 'user', 'after the move', '{}')", (moved[0], conversations[moved[0]]))
        heard = [e for e in listener.notifies(timeout=10, stop_after=1)]
    finally:
        listener.close()
    assert heard and json.loads(heard[0].payload)["tenant_id"] == moved[0], heard
    verify = run_cli("verify", "--database-url", url, "--only", "citus_no_shard_left_behind",
                     "--only", "citus_tenant_tables_colocated", "--only", "citus_reference_tables_everywhere", env=env)
    assert verify.exit_code == 0, verify.stdout


def test_a_large_tenant_gets_shards_of_its_own_and_keeps_its_rows(db_conn, db_url):
    big, small = "00000000-0000-7000-8000-0000000b1900", "00000000-0000-7000-8000-0000000b1901"
    with db_conn.transaction():
        db_conn.execute("set local session_replication_role = replica")  # data only (trigger gaps: conftest)
        for tenant, slug, rows in ((big, "big", 300), (small, "small", 5)):
            db_conn.execute("insert into core.tenants (id, slug, name) values (%s, %s, %s)", (tenant, slug, slug))
            conversation = db_conn.execute("insert into chat.conversations (tenant_id, title) values (%s, 'c') "
                                           "returning id", (tenant,)).fetchone()[0]
            db_conn.execute("insert into chat.messages (tenant_id, conversation_id, role, content, tags) "
                            "select %s, %s, 'user', 'm' || g, '{}' from generate_series(1, %s) as g",
                            (tenant, conversation, rows))
            db_conn.execute("insert into work.tasks (tenant_id, task_type) select %s, 't' from generate_series(1, %s)",
                            (tenant, rows // 10))
    before = citus_rebalance.tenant_counts(db_conn, big)
    total = db_conn.execute("select count(*) from chat.messages").fetchone()[0]
    db_conn.commit()

    result = run_cli("distribute", "--isolate-tenant", "big", "--database-url", db_url)
    assert result.exit_code == 0, result.stderr
    shard = int(result.stdout.strip())
    with psycopg.connect(db_url) as conn:
        after = citus_rebalance.tenant_counts(conn, big)
        assert after == before and after["chat.messages"] == 300 and after["work.tasks"] == 30
        assert conn.execute("select count(*) from chat.messages").fetchone()[0] == total
        low, high = conn.execute("select shardminvalue, shardmaxvalue from pg_dist_shard where shardid = %s",
                                 (shard,)).fetchone()
        assert low == high  # one hash value: this tenant's alone
        own = conn.execute("select get_shard_id_for_distribution_column('chat.messages', %s::uuid), "
                           "get_shard_id_for_distribution_column('chat.messages', %s::uuid)", (big, small)).fetchone()
        assert own[0] != own[1]
        assert citus_rebalance.tenant_counts(conn, small)["chat.messages"] == 5
    again = run_cli("distribute", "--isolate-tenant", big, "--database-url", db_url)
    assert again.exit_code == 0 and "already has shards of its own" in again.stderr
    bad = run_cli("distribute", "--isolate-tenant", "nobody", "--database-url", db_url)
    assert bad.exit_code == 2 and bad.stderr.strip().startswith("Error: no tenant")
    assert len(bad.stderr.strip().splitlines()) == 1


def test_an_online_move_is_refused_with_the_reason(db_url):
    for mode in ("force_logical", "auto"):
        result = run_cli("cluster", "rebalance", "--database-url", db_url, "--transfer-mode", mode)
        assert result.exit_code == 2, result.stderr
        assert "forced row-level security" in result.stderr and "block_writes" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
