-- Chunks' full text is parsed once, where it is indexed, so a bulk load can defer it:
-- search_text becomes a virtual generated column (PostgreSQL 18: computed when read,
-- nothing stored at insert; PostgreSQL 16 has no virtual columns and keeps it stored),
-- its GIN index goes (the BM25 postings are the chunks' keyword index; the ts_rank leg
-- finds its candidates through them), and a transaction that sets
-- agentdb.defer_keyword_index = on leaves its chunks in knowledge.bm25_pending for
-- knowledge.index_pending_chunks() (agentdb maintain, agentdb ingest --defer-keyword-index).

-- lint: allow S001 dropping an index takes a brief lock and builds nothing
drop index knowledge.chunks_search_text_idx;
-- cascade: functions reading the column go with it; agentdb migrate re-creates them in this run
alter table knowledge.chunks drop column search_text cascade;
do $do$
begin
    -- dynamic: PostgreSQL 16 cannot even parse "virtual"
    execute pg_catalog.format(
        'alter table knowledge.chunks add column search_text tsvector '
        'generated always as (to_tsvector(text_config, content)) %s',
        case when pg_catalog.current_setting('server_version_num')::integer >= 180000 then 'virtual' else 'stored' end
    );
end
$do$;
comment on column knowledge.chunks.search_text is 'Full-text vector of the content in its text_config, generated: virtual on PostgreSQL 18+ (parsed when read, nothing stored), stored on 16. Keyword search reads the BM25 postings made from it';

create table knowledge.bm25_pending (
    tenant_id uuid not null,
    chunk_id uuid not null,
    queued_at timestamptz not null default now(),
    constraint bm25_pending_pkey primary key (tenant_id, chunk_id)
);

comment on table knowledge.bm25_pending is 'Chunks loaded (or re-worded) by a transaction that set agentdb.defer_keyword_index = on: not yet in the BM25 statistics and postings, so keyword search does not find them until knowledge.index_pending_chunks() runs (agentdb maintain does). Kept exact by trigger _400_bm25 (no foreign key: a check per row would cost the bulk load it exists for)';
comment on column knowledge.bm25_pending.tenant_id is 'The tenant';
comment on column knowledge.bm25_pending.chunk_id is 'The chunk (knowledge.chunks.id)';
comment on column knowledge.bm25_pending.queued_at is 'When the chunk was loaded or re-worded';
