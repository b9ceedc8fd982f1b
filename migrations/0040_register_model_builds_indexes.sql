-- Registering an embedding model builds its HNSW indexes in knowledge.register_embedding_model
-- itself, not in a row trigger on knowledge.embedding_models: on Citus that table is a
-- reference table, whose row triggers fire on every replica, where DDL on the distributed
-- embedding tables cannot run. On one node nothing changes for callers of the function
-- (every writer of the table goes through it).
-- requires: knowledge.register_embedding_model
drop trigger _200_create_embedding_indexes on knowledge.embedding_models;
