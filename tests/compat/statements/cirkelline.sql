-- cirkelline (seed 002_781c7421b0c0107b.txt): every client statement of the document,
-- verbatim, in its order (tests/compat/test_cirkelline.py runs each through the
-- cirkelline pack and checks that each appears, byte for byte, in the document).
-- query_embedding / query_vector are the document's names for the query vector: they are
-- bound as parameters of those names. Not linted: this is the document's SQL.

-- statement: load_sessions_for_user
SELECT * FROM ai.agno_sessions
WHERE user_id = 'user-123'
AND is_archived = FALSE
ORDER BY created_at DESC;

-- statement: create_session
INSERT INTO ai.agno_sessions (session_id, user_id, created_at)
VALUES (uuid_generate_v4(), 'user-123', NOW());

-- statement: semantic_search
SELECT chunk_text, 1 - (embedding <=> query_embedding) as similarity
FROM ai.cirkelline_knowledge_vectors
WHERE metadata->>'user_id' = 'user-123'
ORDER BY embedding <=> query_embedding
LIMIT 5;

-- statement: hybrid_search_bm25
-- not runnable: 42703
-- instead: SELECT * FROM knowledge.hybrid_search(ops.current_tenant_id(), %s, %s,
-- instead:     (SELECT id FROM knowledge.embedding_models WHERE dimensions = 768 ORDER BY id LIMIT 1), 5, 'weighted',
-- instead:     p_vector_weight => 0.7, p_keyword_weight => 0.3, p_metadata => '{"user_id": "user-123"}');
SELECT * FROM ai.cirkelline_knowledge_vectors
WHERE metadata->>'user_id' = 'user-123'
ORDER BY
  (1 - (embedding <=> query_embedding)) * 0.7 +
  bm25_score * 0.3
LIMIT 5;

-- statement: sessions_for_user
SELECT * FROM ai.agno_sessions
WHERE user_id = 'current-user-id';

-- statement: search_knowledge_for_user
SELECT * FROM ai.cirkelline_knowledge_vectors
WHERE metadata->>'user_id' = 'current-user-id'
ORDER BY embedding <=> query_vector;

-- statement: knowledge_by_metadata
SELECT * FROM ai.agno_knowledge
WHERE metadata->>'user_id' = 'user-123'
AND metadata->>'document_type' = 'pdf';

-- statement: update_knowledge_metadata
UPDATE ai.agno_knowledge
SET metadata = jsonb_set(metadata, '{tags}', '"new-tag"')
WHERE id = 123;

-- statement: vector_search
SELECT * FROM ai.cirkelline_knowledge_vectors
ORDER BY embedding <=> query_vector
LIMIT 5;

-- statement: vector_search_threshold
SELECT * FROM ai.cirkelline_knowledge_vectors
WHERE 1 - (embedding <=> query_vector) > 0.7;

-- statement: load_user_sessions
    SELECT * FROM ai.agno_sessions
    WHERE user_id = %s AND is_archived = FALSE
    ORDER BY created_at DESC

-- statement: search_knowledge
    SELECT chunk_text, similarity FROM ai.cirkelline_knowledge_vectors
    WHERE metadata->>'user_id' = %s
    ORDER BY embedding <=> %s
    LIMIT 5

-- statement: archive_old_memories
    INSERT INTO ai.agno_memories_archive
    SELECT *, NOW() FROM ai.agno_memories
    WHERE user_id = %s AND created_at < NOW() - INTERVAL '30 days'
