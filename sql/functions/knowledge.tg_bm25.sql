-- Trigger function: keep BM25 statistics and postings equal to the chunks, or queue the
-- chunks when the transaction deferred their keyword indexing.
-- depends: knowledge.bm25_add knowledge.bm25_remove ops.local_relation
create or replace function knowledge.tg_bm25()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_defer boolean := pg_catalog.current_setting('agentdb.defer_keyword_index', true) is not distinct from 'on';
    v_tenant_ids uuid[];
    v_chunk_ids uuid[];
    v_texts tsvector[];
    v_tenant uuid;
    v_pending regclass;
begin
    -- the queue as this node holds it (on a Citus worker: the shard beside this chunk shard)
    execute pg_catalog.format('select r.tenant_id from %I as r limit 1',
                              case tg_op when 'DELETE' then 'old_rows' else 'new_rows' end) into v_tenant;
    -- a statement that touched no chunk changes nothing (and on a Citus worker, without a
    -- tenant, the queue below would be the distributed table, which Citus will not join to a
    -- transition table: every first `agentdb ingest` of a file deletes its chunks, of none)
    if v_tenant is null then
        return null;
    end if;
    v_pending := ops.local_relation('knowledge.bm25_pending', v_tenant);
    -- the text is parsed here rather than read from search_text, which is a virtual column
    -- (null in transition tables); arrays are ordered by (tenant_id, id) so concurrent
    -- statements lock terms in the same order. Each branch is planned only for its event.
    if tg_op = 'INSERT' then
        if v_defer then
            execute pg_catalog.format('insert into %s (tenant_id, chunk_id) select n.tenant_id, n.id from new_rows as n',
                                      v_pending);
        else
            select array_agg(n.tenant_id order by n.tenant_id, n.id), array_agg(n.id order by n.tenant_id, n.id),
                   array_agg(pg_catalog.to_tsvector(n.text_config, n.content) order by n.tenant_id, n.id)
              into v_tenant_ids, v_chunk_ids, v_texts
              from new_rows as n;
            perform knowledge.bm25_add(v_tenant_ids, v_chunk_ids, v_texts);
        end if;
    elsif tg_op = 'DELETE' then
        -- a chunk still pending was never counted: it only leaves the queue
        execute pg_catalog.format($sql$
            select array_agg(o.tenant_id order by o.tenant_id, o.id), array_agg(o.id order by o.tenant_id, o.id),
                   array_agg(pg_catalog.to_tsvector(o.text_config, o.content) order by o.tenant_id, o.id)
              from old_rows as o
             where not exists (select from %s as p where p.tenant_id = o.tenant_id and p.chunk_id = o.id)
        $sql$, v_pending) into v_tenant_ids, v_chunk_ids, v_texts;
        perform knowledge.bm25_remove(v_tenant_ids, v_chunk_ids, v_texts);
        execute pg_catalog.format('delete from %s as p using old_rows as o where p.tenant_id = o.tenant_id '
                                  'and p.chunk_id = o.id', v_pending);
    else
        -- only re-worded chunks (content or text configuration changed) leave and re-enter
        execute pg_catalog.format($sql$
            select array_agg(o.tenant_id order by o.tenant_id, o.id), array_agg(o.id order by o.tenant_id, o.id),
                   array_agg(pg_catalog.to_tsvector(o.text_config, o.content) order by o.tenant_id, o.id)
              from old_rows as o
              join new_rows as n using (tenant_id, id)
             where (o.content, o.text_config) is distinct from (n.content, n.text_config)
               and not exists (select from %s as p where p.tenant_id = o.tenant_id and p.chunk_id = o.id)
        $sql$, v_pending) into v_tenant_ids, v_chunk_ids, v_texts;
        perform knowledge.bm25_remove(v_tenant_ids, v_chunk_ids, v_texts);
        if v_defer then
            execute pg_catalog.format($sql$
                insert into %s (tenant_id, chunk_id)
                select n.tenant_id, n.id
                  from new_rows as n
                  join old_rows as o using (tenant_id, id)
                 where (o.content, o.text_config) is distinct from (n.content, n.text_config)
                on conflict (tenant_id, chunk_id) do nothing
            $sql$, v_pending);
        else
            execute pg_catalog.format('delete from %s as p using new_rows as n '
                                      'where p.tenant_id = n.tenant_id and p.chunk_id = n.id', v_pending);
            select array_agg(n.tenant_id order by n.tenant_id, n.id), array_agg(n.id order by n.tenant_id, n.id),
                   array_agg(pg_catalog.to_tsvector(n.text_config, n.content) order by n.tenant_id, n.id)
              into v_tenant_ids, v_chunk_ids, v_texts
              from new_rows as n
              join old_rows as o using (tenant_id, id)
             where (o.content, o.text_config) is distinct from (n.content, n.text_config);
            perform knowledge.bm25_add(v_tenant_ids, v_chunk_ids, v_texts);
        end if;
    end if;
    return null;
end;
$function$;

comment on function knowledge.tg_bm25() is
'AFTER INSERT, UPDATE, DELETE ... FOR EACH STATEMENT on knowledge.chunks (_400_bm25_*): passes the statement''s rows (for updates, only re-worded ones) to knowledge.bm25_remove / bm25_add in one call each; when the transaction set agentdb.defer_keyword_index = on, new and re-worded chunks go to knowledge.bm25_pending instead of bm25_add';
