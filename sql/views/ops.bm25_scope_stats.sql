-- Every scope's BM25 collection statistics under one name.
create or replace view ops.bm25_scope_stats
with (security_invoker = true)
as
select
    s.tenant_id,
    -- a sub-select, not a constant: with a constant a query for another scope prunes this branch
    -- at plan time and Citus then runs the query on every shard instead of the tenant's one
    (select 'chunks'::text) as scope,
    s.doc_count,
    s.total_length,
    s.normalized_avgdl
from knowledge.bm25_stats as s
union all
select
    o.tenant_id,
    o.scope,
    o.doc_count,
    o.total_length,
    o.normalized_avgdl
from ops.bm25_stats as o;

comment on view ops.bm25_scope_stats is 'BM25 statistics (N, total length, the avgdl stored scores were normalised with) per tenant and scope (chunks from knowledge.bm25_stats, messages and documents from ops.bm25_stats)';
comment on column ops.bm25_scope_stats.tenant_id is 'The tenant';
comment on column ops.bm25_scope_stats.scope is 'chunks, messages or documents';
comment on column ops.bm25_scope_stats.doc_count is 'Rows (N)';
comment on column ops.bm25_scope_stats.total_length is 'Sum of row lengths in terms';
comment on column ops.bm25_scope_stats.normalized_avgdl is 'avgdl the stored term scores were normalised with';
