"""The tenant API on the cluster runs on the worker holding the tenant: Citus delegates the
call by its p_tenant_id argument (ops.citus_distribution_plan, kind 'routed function'), so a
call is ONE remote command to ONE node, with no fan-out, in autocommit and inside a
transaction block (force_delegation). Seen with citus.log_remote_commands (each command
Citus sends to a node is a NOTICE naming the node) and EXPLAIN (Task Count: 1).

As the owner role: the tenant argument routes the call; row-level security for the app role
on the workers is the transaction-bound tenant's work (tests/citus/conftest.py, KNOWN_GAPS)."""

from __future__ import annotations

import re

import pytest

TENANT = "00000000-0000-7000-8000-00000000a001"
OTHER = "00000000-0000-7000-8000-00000000b002"
SERVER = re.compile(r"on server \S+@([^:]+):(\d+)")
# what Citus sends around a statement in a transaction block, not the statement itself
FRAMING = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|PREPARE TRANSACTION|COMMIT PREPARED|SELECT assign_distributed)")

# one call per family: (function, SQL, parameters), the tenant first
CALLS = {
    "knowledge.hybrid_search": ("select * from knowledge.hybrid_search(%(t)s::uuid, 'routing words')", {}),
    "knowledge.search_chunks_bm25": ("select * from knowledge.search_chunks_bm25(%(t)s::uuid, 'routing words')", {}),
    "knowledge.search_chunks_keyword": ("select * from knowledge.search_chunks_keyword(%(t)s::uuid, 'routing words')", {}),
    "memory.retrieve_memories": ("select * from memory.retrieve_memories(%(t)s::uuid, %(agent)s::uuid)", {}),
    "memory.search_documents": ("select * from memory.search_documents(%(t)s::uuid, 'routing words')", {}),
    "chat.search_messages": ("select * from chat.search_messages(%(t)s::uuid, 'routing words')", {}),
    "chat.append_message": ("select * from chat.append_message(%(t)s::uuid, 'user', 'routed words', %(conversation)s::uuid, "
                            "%(agent)s::uuid)", {}),
    "work.claim_tasks": ("select * from work.claim_tasks(%(t)s::uuid, %(agent)s::uuid, 1)", {}),
}


# delegated in autocommit only (ops.citus_distribution_plan says why); in a transaction block
# their statements are routed one by one to the tenant's worker
NOT_FORCED = {"knowledge.hybrid_search", "knowledge.search_chunks_keyword", "knowledge.search_chunks_bm25", "memory.retrieve_memories",
              "chat.append_message",
              "work.claim_tasks"}


def _one(conn, query, params=()):
    return conn.execute(query, params).fetchone()[0]


def _seed(conn, tenant: str, slug: str) -> dict:
    """A few rows of every family, written with the triggers off (session_replication_role:
    the seed is data, not what is tested; the triggers' own gaps on a cluster are listed in
    tests/citus/conftest.py)."""
    conn.execute("set local session_replication_role = replica")  # SET LOCAL reaches the workers
    conn.execute("insert into core.tenants (id, slug, name) values (%s, %s, %s)", (tenant, slug, slug.title()))
    agent = _one(conn, "insert into agents.agents (tenant_id, name, slug) values (%s, 'bot', 'bot') returning id",
                 (tenant,))
    conversation = _one(conn, "insert into chat.conversations (tenant_id, agent_id) values (%s, %s) returning id",
                        (tenant, agent))
    conn.execute("insert into chat.messages (tenant_id, conversation_id, agent_id, role, content, tags) "
                 "values (%s, %s, %s, 'user', 'routing words for the search', '{}')", (tenant, conversation, agent))
    document = _one(conn, "insert into knowledge.documents (tenant_id, name) values (%s, 'kb') returning id", (tenant,))
    conn.execute("insert into knowledge.chunks (tenant_id, document_id, chunk_index, content) "
                 "values (%s, %s, 0, 'routing words in a chunk')", (tenant, document))
    conn.execute("insert into memory.documents (tenant_id, title, content) values (%s, 'wiki', 'routing words')",
                 (tenant,))
    conn.execute("insert into memory.memories (tenant_id, agent_id, kind, content, last_accessed_at) "
                 "values (%s, %s, 'fact', 'routing words remembered', now())", (tenant, agent))
    conn.execute("insert into work.tasks (tenant_id, task_type, description) values (%s, 'routing', 'route me')",
                 (tenant,))
    return {"t": tenant, "agent": agent, "conversation": conversation}


@pytest.fixture
def seeded(db_conn):
    first = _seed(db_conn, TENANT, "routed")
    _seed(db_conn, OTHER, "elsewhere")
    db_conn.commit()
    return first


def _holder(conn, tenant: str) -> tuple[str, int]:
    """The node holding the tenant's shards (those of the colocation group)."""
    return conn.execute(
        "select nodename, nodeport from pg_dist_shard_placement "
        "where shardid = get_shard_id_for_distribution_column('chat.messages', %s::uuid)", (tenant,)).fetchone()


def _remote_commands(conn, query, params, in_block: bool) -> list[tuple[tuple[str, int], str]]:
    """(node, command) for every command Citus sends to another node while `query` runs."""
    seen: list[tuple[tuple[str, int], str]] = []

    def notice(diag):
        where = SERVER.search(diag.message_detail or "")
        if (diag.message_primary or "").startswith("issuing ") and where:
            seen.append(((where.group(1), int(where.group(2))), diag.message_primary[len("issuing "):]))

    conn.add_notice_handler(notice)
    try:
        _run_logged(conn, query, params, in_block)
    finally:
        conn.remove_notice_handler(notice)
        conn.autocommit = False
    return seen


def _run_logged(conn, query, params, in_block: bool) -> None:
    conn.commit()  # whatever the test read before: its own transaction, not this one
    try:
        if in_block:
            with conn.transaction():
                conn.execute("set local citus.log_remote_commands = on")
                conn.execute("set local client_min_messages = notice")
                conn.execute(query, params).fetchall()
        else:
            conn.autocommit = True
            conn.execute("set citus.log_remote_commands = on")
            conn.execute("set client_min_messages = notice")
            conn.execute(query, params).fetchall()
            conn.execute("reset citus.log_remote_commands")
            conn.execute("reset client_min_messages")
    finally:
        conn.autocommit = False


def test_the_plan_delegates_every_tenant_api_function_by_its_tenant(db_conn):
    routed = dict(db_conn.execute(
        "select p.proname::text, o.force_delegation from pg_dist_object as o join pg_proc as p on p.oid = o.objid "
        "where o.classid = 'pg_proc'::regclass and o.distribution_argument_index is not null").fetchall())
    for name in CALLS:
        assert routed.get(name.split(".")[1]) is (name not in NOT_FORCED), name
    colocated = db_conn.execute(
        "select count(distinct o.colocationid) = 1 and bool_and(o.colocationid = "
        "(select colocationid from pg_dist_partition where logicalrelid = 'chat.messages'::regclass)) "
        "from pg_dist_object as o where o.distribution_argument_index is not null").fetchone()[0]
    assert colocated


def test_a_tenant_call_is_one_command_on_the_worker_holding_the_tenant(db_conn, seeded):
    """Every family, in autocommit and inside a transaction block (one database copy for all)."""
    holder = _holder(db_conn, TENANT)
    for function, (query, extra) in sorted(CALLS.items()):
        for in_block in (False, True):
            commands = _remote_commands(db_conn, query, {**seeded, **extra}, in_block)
            nodes = {node for node, _ in commands}
            statements = [c for _, c in commands if not FRAMING.match(c)]
            where = f"{function} ({'transaction block' if in_block else 'autocommit'}): {commands}"
            assert nodes == {holder}, where  # no fan-out: one node, the tenant's
            if in_block and function in NOT_FORCED:
                assert statements, where  # the function's statements, each routed there
            else:
                assert len(statements) == 1, where  # one round trip: the call itself, delegated
                assert function.split(".")[1] in statements[0], where


def test_the_other_tenant_goes_to_its_own_worker_and_explain_shows_one_task(db_conn, seeded):
    other = _holder(db_conn, OTHER)
    commands = _remote_commands(db_conn, CALLS["chat.search_messages"][0], {**seeded, "t": OTHER}, False)
    assert {node for node, _ in commands} == {other}
    with db_conn.transaction():
        plan = "\n".join(r[0] for r in db_conn.execute(
            "explain (costs off) select * from chat.search_messages(%s::uuid, 'routing words')", (TENANT,)))
    assert "Task Count: 1" in plan, plan
    assert "Task Count: 8" not in plan


def test_a_delegated_append_lands_on_the_tenants_shard_once(db_conn, seeded):
    with db_conn.transaction():
        db_conn.execute(CALLS["chat.append_message"][0], seeded).fetchall()
    count = _one(db_conn, "select count(*) from chat.messages where tenant_id = %s and content = 'routed words'",
                 (TENANT,))
    assert count == 1
    assert _one(db_conn, "select count(*) from chat.messages where tenant_id = %s and content = 'routed words'",
                (OTHER,)) == 0
