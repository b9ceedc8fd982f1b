"""Heartwood Valley's documented SQL (seed 004), verbatim through the heartwood pack, as
the app role with the tenant set: memory retrieval by vector and recency, the atomic
agent state update, the monitoring queries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pgvector import Vector
from pgvector.psycopg import register_vector
from psycopg import sql

BCRYPT = "$2b$12$" + "R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"[:53]


@pytest.fixture
def heartwood(db_conn, pack_client):
    db_conn.execute("insert into core.tenants (slug, name) values ('heartwood', 'Heartwood Valley'), ('other', 'Other')")
    db_conn.execute("select knowledge.register_embedding_model('tiny-3', 3, 'l2')")
    db_conn.commit()
    register_vector(db_conn)
    statements, session = pack_client("heartwood")
    now = datetime.now(timezone.utc)
    with session("heartwood") as c:
        c.sql("insert into agents (id, name, constitution, current_location, current_activity, energy_level, mood, "
              "primary_goal, personality_traits, likes, background) values "
              "('elara_blacksmith', 'Elara', 'Be honest', 'forge', 'working', 80, 'content', 'Master the craft', "
              "'[\"diligent\"]', '[\"iron\"]', 'Grew up in the valley'), "
              "('marcus_merchant', 'Marcus', 'Trade fairly', 'market', 'selling', 60, 'cheerful', 'Grow the shop', "
              "null, null, null)")
        user = c.sql("insert into users (username, password_hash) values ('aria_player', %s) returning id", BCRYPT)[0]["id"]
        c.sql("insert into characters (id, user_id, character_name) values ('player_123', %s, 'Aria')", user)
        memories = [  # (agent, content, importance, age, vector)
            ("elara_blacksmith", "Forged a sword for Aria", 7, timedelta(hours=2), [1.0, 0.0, 0.0]),
            ("elara_blacksmith", "The bellows need mending", 3, timedelta(0), [0.0, 1.0, 0.0]),
            ("elara_blacksmith", "Aria admired the anvil", 5, timedelta(days=3), [0.9, 0.1, 0.0]),
            ("marcus_merchant", "Sold apples", 2, timedelta(hours=1), [1.0, 0.0, 0.0]),
        ]
        for agent, content, importance, age, vector in memories:
            c.sql("insert into agent_memories (agent_id, memory_type, content, importance_score, related_players, "
                  "\"timestamp\", embedding) values (%s, 'observation', %s, %s, array['player_123'], %s, %s)",
                  agent, content, importance, now - age, Vector(vector))
    return statements, session


def test_heartwood_memory_retrieval(heartwood):
    _, session = heartwood
    query = Vector([1.0, 0.0, 0.0])
    with session("heartwood") as c:
        nearest = c.run("semantic_memory_retrieval", dollar=("elara_blacksmith", query))
        assert [(m["content"], m["importance_score"]) for m in nearest] == [
            ("Forged a sword for Aria", 7.0), ("Aria admired the anvil", 5.0), ("The bellows need mending", 3.0)]
        assert nearest[0]["timestamp"] > nearest[1]["timestamp"]

        blended = c.run("similarity_and_recency", dollar=("elara_blacksmith", query))
        assert [m["content"] for m in blended] == [
            "Forged a sword for Aria", "The bellows need mending", "Aria admired the anvil"]
        first = blended[0]
        assert first["similarity_score"] == 0.0 and 7100 < first["recency_seconds"] < 7300
        assert (first["agent_id"], first["memory_type"], first["related_players"]) == (
            "elara_blacksmith", "observation", ["player_123"])
        c.fails("hybrid_text_and_vector", dollar=(query,))  # ORDER BY text_score * 0.3: an alias in an expression
        c.sql("insert into agent_memories (agent_id, content, embedding) values "
              "('elara_blacksmith', 'A friendship with Aria grows', '[0,0,1]')")
        friendly = c.instead("hybrid_text_and_vector", dollar=(query,))
        assert [m["content"] for m in friendly] == ["A friendship with Aria grows"] and friendly[0]["text_score"] > 0
    with session("other") as c:
        assert c.run("semantic_memory_retrieval", dollar=("elara_blacksmith", query)) == []


def test_heartwood_atomic_state_update(heartwood, db_conn):
    statements, session = heartwood
    block = statements["atomic_agent_state_update"].text.splitlines()
    assert (block[0], block[-1]) == ("BEGIN;", "COMMIT;")
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())
    db_conn.execute(block[0])  # the client's own transaction; its role and tenant are set inside it
    db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
    db_conn.execute("select set_config('search_path', 'heartwood, pg_catalog, public', true)")
    db_conn.execute("select ops.set_tenant('heartwood')")
    db_conn.execute("\n".join(block[1:-1]))
    db_conn.execute(block[-1])
    with session("heartwood") as c:
        assert c.sql("select current_activity, current_location, energy_level from agents "
                     "where id = 'elara_blacksmith'") == [
            {"current_activity": "talking", "current_location": "forge", "energy_level": 80}]
        assert c.sql("select interaction_target, current_action from agent_states where agent_id = 'elara_blacksmith'") \
            == [{"interaction_target": "player_123", "current_action": "talking"}]
        assert c.sql("select initiator_type, initiator_id, recipient_type, recipient_id, message from conversation_logs") \
            == [{"initiator_type": "player", "initiator_id": "player_123", "recipient_type": "agent",
                 "recipient_id": "elara_blacksmith", "message": "Hello!"}]
        assert c.sql("select role, content from chat.messages") == [{"role": "user", "content": "Hello!"}]
        assert c.sql("select current_activity from agents where id = 'marcus_merchant'") == [
            {"current_activity": "selling"}]
    with session("other") as c:
        assert c.sql("select * from conversation_logs") == [] and c.sql("select * from agents") == []


def test_heartwood_memory_update_events(heartwood, db_conn, db_url):
    """A client that LISTENs on memory_update hears {agent_id, type: 'new_memory'} when a
    memory is written through the pack."""
    import json

    import psycopg

    _, session = heartwood
    with psycopg.connect(db_url, autocommit=True) as listener:
        listener.execute("listen memory_update")
        with session("heartwood") as c:
            c.sql("insert into agent_memories (agent_id, memory_type, content, importance_score) "
                  "values ('marcus_merchant', 'reflection', 'Aria is a loyal customer', 8)")
            marcus = c.sql("select id from agents.agents where slug = 'marcus_merchant'")[0]["id"]
        events = [json.loads(n.payload) for n in listener.notifies(timeout=5, stop_after=1)]
    assert [(e["agent_id"], e["type"], e["agent_slug"]) for e in events] == [(str(marcus), "new_memory", "marcus_merchant")]


def test_heartwood_monitoring_and_accounts(heartwood):
    _, session = heartwood
    with session("heartwood") as c:
        tables = c.run("table_statistics")
        assert {"schemaname", "tablename", "n_tup_ins", "n_tup_upd", "n_tup_del"} == set(tables[0])
        assert ("memory", "memories") in {(t["schemaname"], t["tablename"]) for t in tables}
        indexes = c.run("index_usage")
        assert ("memory", "memories", "memories_pkey") in {(i["schemaname"], i["tablename"], i["indexname"])
                                                           for i in indexes}
        c.fails("slowest_queries")  # pg_stat_statements is not installed on the embedded server
        c.fails("hash_password_with_pgcrypto")  # no pgcrypto: crypt() and gen_salt() do not exist
        assert c.instead("hash_password_with_pgcrypto", dollar=(BCRYPT.replace("$2b$12$", "$2b$10$"),)) == 1
        with pytest.raises(Exception) as missing:  # the replacement says what is missing, with a hint
            with c.conn.transaction():
                c.instead("slowest_queries")
        assert missing.value.sqlstate == "55000" and "pg_stat_statements" in str(missing.value)
        assert c.sql("select username from users order by username") == [
            {"username": "aria_player"}, {"username": "player1"}]
        assert c.sql("select id, character_name from characters") == [{"id": "player_123", "character_name": "Aria"}]
        assert [r["name"] for r in c.sql("select name from agents order by id")] == ["Elara", "Marcus"]
        assert c.sql("select personality_traits, likes, background from agents where id = 'elara_blacksmith'") == [
            {"personality_traits": ["diligent"], "likes": ["iron"], "background": "Grew up in the valley"}]
