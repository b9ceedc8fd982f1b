-- The deferred keyword index of one tenant (on a Citus cluster: run on the worker holding it).
-- depends: knowledge.bm25_add
create or replace function knowledge.index_pending_chunks_of(p_tenant_id uuid, p_limit integer default null)
returns bigint
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_tenant_ids uuid[];
    v_chunk_ids uuid[];
    v_texts tsvector[];
begin
    -- every statement is pinned to the tenant: one shard on Citus, where a FOR UPDATE across
    -- tenants is refused; skip locked: concurrent passes take disjoint batches
    with batch as (
        select p.tenant_id, p.chunk_id
          from knowledge.bm25_pending as p
         where p.tenant_id = p_tenant_id
         order by p.chunk_id
         limit p_limit
           for update skip locked
    ),
    taken as (
        delete from knowledge.bm25_pending as p
         using batch as b
         where p.tenant_id = p_tenant_id and p.tenant_id = b.tenant_id and p.chunk_id = b.chunk_id
        returning p.tenant_id, p.chunk_id
    )
    select array_agg(c.tenant_id order by c.id), array_agg(c.id order by c.id),
           array_agg(pg_catalog.to_tsvector(c.text_config, c.content) order by c.id)
      into v_tenant_ids, v_chunk_ids, v_texts
      from taken as t
      join knowledge.chunks as c on c.tenant_id = t.tenant_id and c.id = t.chunk_id
     where c.tenant_id = p_tenant_id;
    perform knowledge.bm25_add(v_tenant_ids, v_chunk_ids, v_texts);
    return coalesce(pg_catalog.cardinality(v_chunk_ids), 0);
end;
$function$;

comment on function knowledge.index_pending_chunks_of(uuid, integer) is
'Indexes up to p_limit (default all) of tenant p_tenant_id''s chunks waiting in knowledge.bm25_pending, in chunk id order, in one knowledge.bm25_add call, and returns how many; concurrent calls take disjoint batches (skip locked). Every statement is pinned to the tenant, so on a Citus cluster the call is delegated to the worker holding it (knowledge.index_pending_chunks takes rows of every tenant FOR UPDATE, which Citus refuses). agentdb maintain calls it per waiting tenant on a cluster, agentdb ingest --defer-keyword-index for the tenant it loaded';
