-- Undo 0012_create_bm25_index.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop trigger _400_bm25_delete on knowledge.chunks;
drop trigger _400_bm25_update on knowledge.chunks;
drop trigger _400_bm25_insert on knowledge.chunks;
drop table knowledge.bm25_postings cascade;
drop table knowledge.bm25_terms cascade;
drop table knowledge.bm25_stats cascade;
alter table knowledge.chunks drop column search_text cascade;
alter table knowledge.chunks add column search_text tsvector generated always as (
    to_tsvector('english'::regconfig, content)
) stored;
comment on column knowledge.chunks.search_text is 'Full-text vector of the content (english), generated';
create index chunks_search_text_idx on knowledge.chunks using gin (search_text);
comment on index knowledge.chunks_search_text_idx is 'Full-text search (the keyword leg)';
alter table knowledge.chunks drop column text_config;
alter table core.tenants drop column text_search_config;
