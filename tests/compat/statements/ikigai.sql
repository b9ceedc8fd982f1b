-- ikigai (seed 000_fcf7f779e26bac5b.txt): every client statement of the document, verbatim,
-- in its order. The document gives its RAG queries as WHERE clauses over its messages
-- table; tests/compat/test_ikigai.py runs each after `select * from messages` through the
-- ikigai pack and checks that each appears, byte for byte, in the document.
-- `not runnable: current_user` marks a clause that runs but does not mean what the
-- document says (bare `user` is SQL's CURRENT_USER). Not linted: this is the document's SQL.

-- statement: work_in_project
WHERE project = 'ikigai'

-- statement: agent_work_in_project
WHERE agent_id = 42 AND project = 'ikigai'

-- statement: tagged_work
-- not runnable: 42601
-- instead: WHERE tags @> array['oauth-implementation']
WHERE tags CONTAINS 'oauth-implementation'

-- statement: work_from_machine
-- not runnable: current_user
-- instead: WHERE machine = 'workstation' AND user_name = 'mgreenly'
WHERE machine = 'workstation' AND user = 'mgreenly'

-- statement: work_in_path
WHERE path = '/home/mgreenly/projects/ikigai/main'

-- statement: combinations
-- not runnable: 42601
-- instead: WHERE project = 'ikigai'
-- instead:   AND tags @> array['refactoring']
-- instead:   AND timestamp > '2024-01-01'
WHERE project = 'ikigai'
  AND tags CONTAINS 'refactoring'
  AND timestamp > '2024-01-01'

-- statement: what_did_we_decide
-- not runnable: 42601
-- instead: WHERE project = 'ikigai'
-- instead:   AND ('oauth' = any(tags) OR focus LIKE '%oauth%')
-- instead: ORDER BY created_at DESC
-- instead: LIMIT 20
WHERE project = 'ikigai'
  AND (tags CONTAINS 'oauth' OR focus LIKE '%oauth%')
ORDER BY created_at DESC
LIMIT 20
