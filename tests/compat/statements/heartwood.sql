-- Heartwood Valley (seed 004_75732bdeadabe4cb.txt): every client statement of the document,
-- verbatim, in its order (tests/compat/test_heartwood.py runs each through the heartwood
-- pack and checks that each appears, byte for byte, in the document). $1 and $2 are bound
-- with PREPARE ... AS the statement. VACUUM, REINDEX and ANALYZE are maintenance, not client
-- SQL (agentdb maintain runs them). Not linted: this is the document's SQL.
-- in ddl:         INSERT INTO agent_memories_shard_1 VALUES (NEW.*);
-- in ddl:         INSERT INTO agent_memories_shard_2 VALUES (NEW.*);

-- statement: semantic_memory_retrieval
SELECT content, importance_score, timestamp
FROM agent_memories
WHERE agent_id = $1
ORDER BY embedding <-> $2
LIMIT 10;

-- statement: similarity_and_recency
SELECT *, 
       (embedding <-> $2) as similarity_score,
       EXTRACT(epoch FROM (now() - timestamp)) as recency_seconds
FROM agent_memories
WHERE agent_id = $1
ORDER BY (embedding <-> $2) * 0.7 + 
         (EXTRACT(epoch FROM (now() - timestamp)) / 86400) * 0.3
LIMIT 10;

-- statement: atomic_agent_state_update
BEGIN;
  UPDATE agents SET current_activity = 'talking' WHERE id = 'elara_blacksmith';
  UPDATE agent_states SET interaction_target = 'player_123' WHERE agent_id = 'elara_blacksmith';
  INSERT INTO conversation_logs (initiator_type, initiator_id, recipient_type, recipient_id, message) 
  VALUES ('player', 'player_123', 'agent', 'elara_blacksmith', 'Hello!');
COMMIT;

-- statement: slowest_queries
-- not runnable: 42P01
-- instead: SELECT calls, mean_ms, total_ms, query FROM ops.slowest_statements(20);
SELECT query, mean_time, calls, total_time
FROM pg_stat_statements
ORDER BY total_time DESC;

-- statement: table_statistics
SELECT schemaname, tablename, n_tup_ins, n_tup_upd, n_tup_del
FROM pg_stat_user_tables;

-- statement: index_usage
SELECT schemaname, tablename, indexname, idx_tup_read, idx_tup_fetch
FROM pg_stat_user_indexes;

-- statement: hash_password_with_pgcrypto
-- not runnable: 42883
-- instead: INSERT INTO users (username, password_hash) VALUES ('player1', $1);
INSERT INTO users (username, password_hash) 
VALUES ('player1', crypt('password123', gen_salt('bf')));

-- statement: hybrid_text_and_vector
-- not runnable: 42703
-- instead: SELECT * FROM (
-- instead:   SELECT *,
-- instead:          ts_rank(to_tsvector('english', content), plainto_tsquery('friendship')) as text_score,
-- instead:          (embedding <-> $1) as vector_score
-- instead:   FROM agent_memories
-- instead:   WHERE to_tsvector('english', content) @@ plainto_tsquery('friendship')
-- instead: ) AS m
-- instead: ORDER BY text_score * 0.3 + (1 - vector_score) * 0.7;
SELECT *, 
       ts_rank(to_tsvector('english', content), plainto_tsquery('friendship')) as text_score,
       (embedding <-> $1) as vector_score
FROM agent_memories
WHERE to_tsvector('english', content) @@ plainto_tsquery('friendship')
ORDER BY text_score * 0.3 + (1 - (embedding <-> $1)) * 0.7;
