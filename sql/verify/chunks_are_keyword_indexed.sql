-- description: No chunk has waited over an hour for the keyword index: a load that deferred it (agentdb.defer_keyword_index) is followed by an indexing pass.
-- severity: warning
-- fix: agentdb maintain (or select knowledge.index_pending_chunks())
select
    p.tenant_id,
    count(*) as waiting_chunks,
    min(p.queued_at) as oldest
from knowledge.bm25_pending as p
where p.queued_at < now() - interval '1 hour'
group by p.tenant_id
order by 1
