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
