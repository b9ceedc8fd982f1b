"""The pytest plugin for applications (toolkit.testing, loaded through its entry point):
each test gets its own fully migrated database."""

from __future__ import annotations

import psycopg

SEEN: list[str] = []


def test_the_plugin_gives_a_migrated_database(agentdb_database):
    with psycopg.connect(agentdb_database) as conn:
        conn.execute("select ops.set_tenant('personal')")
        conn.execute("select chat.append_message(ops.current_tenant_id(), 'user', 'hi')")
        assert conn.execute("select count(*) from chat.messages").fetchone()[0] == 1
        SEEN.append(conn.info.dbname)


def test_each_test_gets_its_own_copy(agentdb_database):
    with psycopg.connect(agentdb_database) as conn:
        assert conn.execute("select count(*) from chat.messages").fetchone()[0] == 0
        assert conn.info.dbname not in SEEN
