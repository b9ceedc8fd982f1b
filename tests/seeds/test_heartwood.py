"""Heartwood Valley: characters and agents, the memory stream and its retrieval,
relationships at their limits, schedules and plans, a conversation log, a NOTIFY for a
new memory, an audited change, the read-only role refused a write, monitoring queries."""

from __future__ import annotations

import json

import psycopg
import pytest

from toolkit import listen

from .conftest import one


def test_heartwood_flows(owner, client, named, db_url):
    owner.execute("insert into core.tenants (slug, name) values ('heartwood', 'Heartwood Valley')")
    listener = listen.Listener(db_url, ["agentdb_memories"])  # on Citus: every worker's outbox
    with client("heartwood") as c:
        t = one(c, "select ops.current_tenant_id()")
        player = one(c, "insert into core.users (tenant_id, username, password_hash) values (%s, 'player1', %s) "
                        "returning id", t, "$2b$12$" + "c" * 53)
        wren = one(c, "insert into core.characters (tenant_id, user_id, name) values (%s, %s, 'Wren') returning id",
                   t, player)
        elara = one(c, "insert into agents.agents (tenant_id, name, slug, backstory, personality, primary_goal) "
                       "values (%s, 'Elara', 'elara_blacksmith', 'Third-generation smith', "
                       "'{\"traits\": [\"stubborn\"], \"likes\": [\"iron\"]}', 'forge a legendary blade') returning id", t)
        marcus = one(c, "insert into agents.agents (tenant_id, name, slug) values (%s, 'Marcus', 'marcus_merchant') "
                        "returning id", t)
        c.execute("insert into agents.agent_states (tenant_id, agent_id, position_x, position_y, direction, "
                  "current_action, mood, energy, cognitive_load) values (%s, %s, 12, 4, 'north', 'hammering', "
                  "'focused', 80, 30)", (t, elara))
        for kind, importance in (("observation", 2), ("reflection", 8), ("plan", 5), ("metacognition", 6)):
            c.execute("insert into memory.memories (tenant_id, agent_id, kind, content, importance, "
                      "related_character_ids, location) values (%s, %s, %s, %s, %s, array[%s::uuid], 'forge')",
                      (t, elara, kind, f"Elara's {kind}", importance, wren))
        c.execute("insert into agents.relationships (tenant_id, agent_id, other_agent_id, relationship_type, "
                  "affection, trust) values (%s, %s, %s, 'rival', -100, 0)", (t, elara, marcus))
        c.execute("insert into agents.relationships (tenant_id, agent_id, character_id, relationship_type, affection, "
                  "trust) values (%s, %s, %s, 'friend', 100, 100)", (t, elara, wren))
        c.execute("insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity, "
                  "location, is_flexible) values (%s, %s, 1, '06:00', '12:00', 'forge', 'smithy', false)", (t, elara))
        c.execute("insert into agents.plans (tenant_id, agent_id, goal, steps, current_step, status, deadline) values "
                  "(%s, %s, 'win the fair', '[\"buy ore\", \"forge\", \"polish\"]', 1, 'active', now() + "
                  "interval '3 days')", (t, elara))
        talk = one(c, "insert into chat.conversations (tenant_id, agent_id, title) values (%s, %s, 'At the forge') "
                      "returning id", t, elara)
        c.execute("insert into chat.messages (tenant_id, conversation_id, agent_id, role, content, character_id, "
                  "emotional_tone) values (%s, %s, %s, 'user', 'Can you fix my sword?', %s, 'hopeful'), "
                  "(%s, %s, %s, 'assistant', 'Leave it with me.', %s, 'warm')",
                  (t, talk, elara, wren, t, talk, elara, wren))
        c.execute("insert into chat.messages (tenant_id, agent_id, recipient_agent_id, role, content, emotional_tone) "
                  "values (%s, %s, %s, 'agent', 'Your prices are robbery.', 'annoyed')", (t, elara, marcus))
        c.execute("update agents.agents set primary_goal = 'teach an apprentice' where id = %s", (elara,))
        top = c.execute("select kind from memory.retrieve_memories(%s, %s, p_k => 2, p_recency_weight => 0)",
                        (t, elara)).fetchall()
        assert [r[0] for r in top] == ["reflection", "metacognition"]
    with pytest.raises(psycopg.errors.CheckViolation, match="relationships_affection_check"):
        with client("heartwood") as c:
            c.execute("update agents.relationships set affection = 101 where character_id is not null")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        with client("heartwood", role="readonly") as c:
            c.execute("insert into memory.memories (tenant_id, agent_id, kind, content) values (%s, %s, 'plan', 'x')",
                      (t, elara))
    with client("heartwood", role="readonly") as c:
        assert one(c, "select count(*) from memory.memories") == 4
    events = [json.loads(n.payload) for n in listener.notifies(timeout=1, stop_after=4)]
    assert sum(e["count"] for e in events if e["agent_id"] == str(elara)) == 4
    audit = owner.execute("select old_values, new_values from ops.audit_log where table_name = 'agents.agents' "
                          "and operation = 'update'").fetchall()
    assert audit == [({"primary_goal": "forge a legendary blade"}, {"primary_goal": "teach an apprentice"})]
    lines = owner.execute("select role, emotional_tone from chat.messages where tenant_id = %s order by created_at, role",
                          (t,)).fetchall()
    assert sorted(lines) == [("agent", "annoyed"), ("assistant", "warm"), ("user", "hopeful")]
    assert {r["table_name"] for r in named("table_activity", "heartwood")} >= {"memory.memories", "agents.agents"}
    assert named("table_sizes", "heartwood", limit=5)
    assert isinstance(named("index_usage", "heartwood"), list)
    assert isinstance(named("unused_indexes", "heartwood"), list)
    with pytest.raises(Exception, match="pg_stat_statements is not installed"):
        named("slowest_statements", "heartwood")


def test_memory_update_channel_recency_from_creation_and_audit(owner, client, db_url):
    owner.execute("insert into core.tenants (slug, name) values ('heartwood', 'Heartwood Valley')")
    listener = listen.Listener(db_url, ["memory_update", "agentdb_memories"])
    with client("heartwood") as c:
        t = one(c, "select ops.current_tenant_id()")
        elara = one(c, "insert into agents.agents (tenant_id, name, slug) values (%s, 'Elara', 'elara_blacksmith') "
                       "returning id", t)
        # one statement, three memories: one memory_update event for the agent (not three)
        c.execute("insert into memory.memories (tenant_id, agent_id, kind, content, importance, created_at) values "
                  "(%s, %s, 'observation', 'the forge went cold', 5, now() - interval '300 hours'), "
                  "(%s, %s, 'observation', 'a traveller asked for a sword', 5, now()), "
                  "(%s, %s, 'plan', 'buy coal tomorrow', 5, now())", (t, elara, t, elara, t, elara))
        ranked = c.execute("select content, recency from memory.retrieve_memories(%s, %s, p_touch => false)",
                           (t, elara)).fetchall()
        recency = dict(ranked)
        # never accessed: recency counts from creation, so 300 hours ago scores lower than now
        assert recency["the forge went cold"] < recency["a traveller asked for a sword"]
        assert ranked[-1][0] == "the forge went cold"
        assert one(c, "select last_accessed_at = created_at from memory.memories where content = 'the forge went cold'")
        player = one(c, "insert into core.users (tenant_id, username) values (%s, 'player1') returning id", t)
        character = one(c, "insert into core.characters (tenant_id, user_id, name) values (%s, %s, 'Wren') "
                           "returning id", t, player)
        rel = one(c, "insert into agents.relationships (tenant_id, agent_id, character_id, affection) values "
                     "(%s, %s, %s, 10) returning id", t, elara, character)
        c.execute("update agents.relationships set affection = 35, trust = 70 where id = %s", (rel,))
        state = one(c, "insert into agents.agent_states (tenant_id, agent_id, mood) values (%s, %s, 'calm') "
                       "returning id", t, elara)
        c.execute("update agents.agent_states set mood = 'angry' where id = %s", (state,))
        c.execute("update memory.memories set importance = 9 where content = 'buy coal tomorrow'")
    events = [(n.channel, json.loads(n.payload)) for n in listener.notifies(timeout=1, stop_after=2)]
    update = [p for ch, p in events if ch == "memory_update"]
    assert update == [{"agent_id": str(elara), "type": "new_memory", "tenant_id": str(t),
                       "agent_slug": "elara_blacksmith", "count": 3}]
    assert [p["count"] for ch, p in events if ch == "agentdb_memories"] == [3]  # the existing contract still holds
    audit = owner.execute("select table_name, operation, old_values, new_values from ops.audit_log "
                          "where operation = 'update' and table_name in ('agents.relationships', 'agents.agent_states', "
                          "'memory.memories') order by occurred_at").fetchall()
    assert audit == [
        ("agents.relationships", "update", {"affection": 10, "trust": 50}, {"affection": 35, "trust": 70}),
        ("agents.agent_states", "update", {"mood": "calm"}, {"mood": "angry"}),
        ("memory.memories", "update", {"importance": 5}, {"importance": 9}),
    ]
    inserted = {r[0]: r[1] for r in owner.execute(
        "select table_name, count(*) from ops.audit_log where operation = 'insert' group by 1")}
    assert inserted["memory.memories"] == 3 and inserted["agents.relationships"] == 1
    assert inserted["agents.agent_states"] == 1
