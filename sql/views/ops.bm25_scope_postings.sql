-- Every scope's BM25 postings under one name: chunks, messages, memory documents.
create or replace view ops.bm25_scope_postings
with (security_invoker = true)
as
select
    p.tenant_id,
    -- a sub-select, not a constant: with a constant a query for another scope prunes this branch
    -- at plan time and Citus then runs the query on every shard instead of the tenant's one
    (select 'chunks'::text) as scope,
    p.term,
    p.chunk_id as row_id,
    p.tf,
    p.doc_length,
    p.tf_norm
from knowledge.bm25_postings as p
union all
select
    o.tenant_id,
    o.scope,
    o.term,
    o.row_id,
    o.tf,
    o.doc_length,
    o.tf_norm
from ops.bm25_postings as o;

comment on view ops.bm25_scope_postings is 'The BM25 postings of every scope (chunks from knowledge.bm25_postings, messages and documents from ops.bm25_postings): a query naming its scope reads one table, the other branch is cut by its constant scope; each branch has an index ordered (tenant, term, tf_norm desc, row id)';
comment on column ops.bm25_scope_postings.tenant_id is 'The tenant';
comment on column ops.bm25_scope_postings.scope is 'chunks, messages or documents';
comment on column ops.bm25_scope_postings.term is 'The lexeme';
comment on column ops.bm25_scope_postings.row_id is 'The chunk, message or memory document';
comment on column ops.bm25_scope_postings.tf is 'How often the term occurs in the row';
comment on column ops.bm25_scope_postings.doc_length is 'Length of the row in terms';
comment on column ops.bm25_scope_postings.tf_norm is 'The stored term score (k1 1.2, b 0.75 at the normalized avgdl) that orders a term''s postings';
