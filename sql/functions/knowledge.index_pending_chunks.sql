-- The deferred half of a bulk load: index the chunks waiting in knowledge.bm25_pending.
-- depends: knowledge.index_pending_chunks_of
create or replace function knowledge.index_pending_chunks(p_limit integer default null)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_tenant_id uuid;
    v_done bigint := 0;
begin
    -- tenant by tenant, oldest tenant id first (each pass pinned to its tenant)
    for v_tenant_id in select distinct p.tenant_id from knowledge.bm25_pending as p order by p.tenant_id loop
        exit when v_done >= p_limit;
        v_done := v_done + knowledge.index_pending_chunks_of(v_tenant_id, p_limit - v_done::integer);
    end loop;
    return v_done;
end;
$function$;

comment on function knowledge.index_pending_chunks(integer) is
'Indexes up to p_limit (default all) of the chunks waiting in knowledge.bm25_pending, tenant by tenant in tenant id order (knowledge.index_pending_chunks_of, chunk id order within a tenant), and returns how many; concurrent calls take disjoint batches (skip locked). Under row-level security it indexes the current tenant''s chunks only. On a Citus cluster call knowledge.index_pending_chunks_of per tenant instead (agentdb maintain does): this pass runs on the coordinator. agentdb ingest --defer-keyword-index and agentdb maintain index per tenant';
