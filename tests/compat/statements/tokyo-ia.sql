-- Tokyo-IA (seed 001_c25fe9b0eb077207.txt): every client statement of the document,
-- verbatim (tests/compat/test_tokyo_ia.py runs each through the tokyo-ia pack and checks
-- that each appears, byte for byte, in the document). Not linted: this is the document's
-- SQL, not agentdb's house style.

-- statement: insert_agents
INSERT INTO agents (id, name, role, model, specialties, personality_emoji) VALUES
  ('akira-001', 'Akira - Code Review Master', 'code_review', 'claude-opus-4.1', 
   ARRAY['security', 'performance', 'architecture'], 'ä¾'),
  ('yuki-002', 'Yuki - Test Engineering Specialist', 'test_engineering', 'openai-o3',
   ARRAY['unit_testing', 'integration_testing', 'e2e_testing'], 'â„ï¸');

-- statement: active_agents
SELECT * FROM agents WHERE status = 'active';

-- statement: agent_statistics
SELECT 
    agent_id,
    COUNT(*) as total_tasks,
    AVG(duration_ms) as avg_latency,
    SUM(tokens_used) as total_tokens,
    SUM(cost_usd) as total_cost
FROM agent_tasks
WHERE agent_id = 'akira-001'
  AND status = 'completed'
  AND created_at > NOW() - INTERVAL '24 hours'
GROUP BY agent_id;

-- statement: recent_tasks
SELECT * FROM agent_tasks
WHERE agent_id = 'akira-001'
ORDER BY created_at DESC
LIMIT 20;

-- statement: workflow_with_tasks
-- not runnable: 42803
-- instead: SELECT w.*, (SELECT json_agg(t.*) FROM agent_tasks t WHERE t.workflow_id = w.id) as tasks
-- instead: FROM workflows w
-- instead: WHERE w.id = '670e9511-f3ac-52e5-b827-557766551111';
SELECT 
    w.*,
    json_agg(t.*) as tasks
FROM workflows w
LEFT JOIN agent_tasks t ON w.id = t.workflow_id
WHERE w.id = '670e9511-f3ac-52e5-b827-557766551111'
GROUP BY w.id;
