-- The deferred half of a bulk load: index the chunks waiting in knowledge.bm25_pending.
-- depends: knowledge.bm25_add
create or replace function knowledge.index_pending_chunks(p_limit integer default null)
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
    -- skip locked: concurrent passes take disjoint batches
    with batch as (
        select p.tenant_id, p.chunk_id
          from knowledge.bm25_pending as p
         order by p.tenant_id, p.chunk_id
         limit p_limit
           for update skip locked
    ),
    taken as (
        delete from knowledge.bm25_pending as p
         using batch as b
         where p.tenant_id = b.tenant_id and p.chunk_id = b.chunk_id
        returning p.tenant_id, p.chunk_id
    )
    select array_agg(c.tenant_id order by c.tenant_id, c.id), array_agg(c.id order by c.tenant_id, c.id),
           array_agg(pg_catalog.to_tsvector(c.text_config, c.content) order by c.tenant_id, c.id)
      into v_tenant_ids, v_chunk_ids, v_texts
      from taken as t
      join knowledge.chunks as c on c.tenant_id = t.tenant_id and c.id = t.chunk_id;
    perform knowledge.bm25_add(v_tenant_ids, v_chunk_ids, v_texts);
    return coalesce(pg_catalog.cardinality(v_chunk_ids), 0);
end;
$function$;

comment on function knowledge.index_pending_chunks(integer) is
'Indexes up to p_limit (default all) of the chunks waiting in knowledge.bm25_pending, oldest tenant-and-id order first, in one set-based knowledge.bm25_add call, and returns how many; concurrent calls take disjoint batches (skip locked). Under row-level security it indexes the current tenant''s chunks only. agentdb maintain and agentdb ingest --defer-keyword-index call it';
