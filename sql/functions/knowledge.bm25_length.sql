-- The length of a chunk for BM25: how many terms its text vector holds, repeats counted.
create or replace function knowledge.bm25_length(p_text tsvector)
returns integer
language sql
immutable
parallel safe
security invoker
set search_path = ''
begin atomic
    select coalesce(sum(coalesce(pg_catalog.cardinality(x.positions), 1)), 0)::integer
      from unnest(p_text) as x;
end;

comment on function knowledge.bm25_length(tsvector) is
'Document length for BM25: the number of term occurrences in the text vector (positions counted; a term stored without positions counts once)';
