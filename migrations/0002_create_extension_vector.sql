-- Install pgvector (vector, halfvec, sparsevec types and HNSW indexes) in schema public.
-- Fails with SQLSTATE 0A000/58P01 where pgvector is not installed on the server, and
-- 42501 where the migrating role may not create extensions (see docs/decisions.md).
create extension if not exists vector with schema public;
