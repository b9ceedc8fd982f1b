-- Undo 0013_defer_chunk_keyword_index: chunks still waiting are indexed first, then the
-- stored column and its GIN index come back.
-- cascade also drops the repeatable functions that read the column (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
select knowledge.index_pending_chunks();
drop table knowledge.bm25_pending;
alter table knowledge.chunks drop column search_text cascade;
alter table knowledge.chunks add column search_text tsvector generated always as (to_tsvector(text_config, content)) stored;
comment on column knowledge.chunks.search_text is 'Full-text vector of the content in its text_config, generated; BM25 postings are made from it';
create index chunks_search_text_idx on knowledge.chunks using gin (search_text);
comment on index knowledge.chunks_search_text_idx is 'Full-text search (the ts_rank keyword leg)';

-- The BM25 trigger function as it was before 0013 (the current one reads bm25_pending); it
-- is marked not applied, so agentdb status shows it and the next agentdb migrate applies
-- whatever sql/functions/knowledge.tg_bm25.sql then says.
create or replace function knowledge.tg_bm25()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    -- each branch is planned only for its own event (the transition tables differ)
    if tg_op = 'INSERT' then
        perform knowledge.bm25_add(array(select n.tenant_id from new_rows as n order by n.tenant_id, n.id),
                                   array(select n.id from new_rows as n order by n.tenant_id, n.id),
                                   array(select n.search_text from new_rows as n order by n.tenant_id, n.id));
    elsif tg_op = 'DELETE' then
        perform knowledge.bm25_remove(array(select o.tenant_id from old_rows as o order by o.tenant_id, o.id),
                                      array(select o.id from old_rows as o order by o.tenant_id, o.id),
                                      array(select o.search_text from old_rows as o order by o.tenant_id, o.id));
    else
        perform knowledge.bm25_remove(
            array(select o.tenant_id from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id),
            array(select o.id from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id),
            array(select o.search_text from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id));
        perform knowledge.bm25_add(
            array(select n.tenant_id from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id),
            array(select n.id from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id),
            array(select n.search_text from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id));
    end if;
    return null;
end;
$function$;
delete from agentdb_meta.repeatable_objects where name = 'knowledge.tg_bm25';
