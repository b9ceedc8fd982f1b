-- How often a lexeme counts for BM25: its positions, a weight-A position (a title) twice.
create or replace function ops.bm25_tf(p_positions smallint[], p_weights text[])
returns integer
language sql
immutable
parallel safe
security invoker
-- no set clause, so the planner inlines it into the statements that call it
return coalesce(pg_catalog.cardinality(p_positions), 1)
    + coalesce(pg_catalog.cardinality(pg_catalog.array_positions(p_weights, 'A')), 0);

comment on function ops.bm25_tf(smallint[], text[]) is
'Term frequency of one lexeme of a text vector for BM25 over messages and memory documents: the number of its positions (1 without positions), weight-A positions (a document''s title) counted twice';
