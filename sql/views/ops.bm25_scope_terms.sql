-- Every scope's BM25 document frequencies under one name.
create or replace view ops.bm25_scope_terms
with (security_invoker = true)
as
select
    t.tenant_id,
    -- a sub-select, not a constant: with a constant a query for another scope prunes this branch
    -- at plan time and Citus then runs the query on every shard instead of the tenant's one
    (select 'chunks'::text) as scope,
    t.term,
    t.doc_freq
from knowledge.bm25_terms as t
union all
select
    o.tenant_id,
    o.scope,
    o.term,
    o.doc_freq
from ops.bm25_terms as o;

comment on view ops.bm25_scope_terms is 'Document frequency of every term per tenant and scope (chunks from knowledge.bm25_terms, messages and documents from ops.bm25_terms)';
comment on column ops.bm25_scope_terms.tenant_id is 'The tenant';
comment on column ops.bm25_scope_terms.scope is 'chunks, messages or documents';
comment on column ops.bm25_scope_terms.term is 'The lexeme';
comment on column ops.bm25_scope_terms.doc_freq is 'Rows of the tenant''s scope that contain it (n)';
