-- BM25 for knowledge chunks in plain SQL: per-tenant statistics, postings with a stored
-- term score ordered per term, kept by statement triggers; a text search configuration
-- per tenant and per chunk.
-- requires: ops.tg_set_updated_at knowledge.tg_bm25 knowledge.bm25_add

alter table core.tenants add column text_search_config regconfig not null default 'english';
comment on column core.tenants.text_search_config is 'Text search configuration (language) for the tenant''s full text: parsing and stemming of its chunks and queries';

-- lint: allow S002 unreleased: chunks hold no rows in any deployment before this migration
alter table knowledge.chunks add column text_config regconfig not null default 'english';
comment on column knowledge.chunks.text_config is 'Text search configuration the content is parsed with (the tenant''s, or the document''s language)';
-- cascade: functions reading the old column go with it; agentdb migrate re-creates them in this run
alter table knowledge.chunks drop column search_text cascade;
alter table knowledge.chunks add column search_text tsvector generated always as (to_tsvector(text_config, content)) stored;
comment on column knowledge.chunks.search_text is 'Full-text vector of the content in its text_config, generated; BM25 postings are made from it';
-- lint: allow S001 unreleased: chunks hold no rows in any deployment before this migration
create index chunks_search_text_idx on knowledge.chunks using gin (search_text);
comment on index knowledge.chunks_search_text_idx is 'Full-text search (the ts_rank keyword leg)';

create table knowledge.bm25_stats (
    tenant_id uuid not null,
    doc_count bigint not null default 0,
    total_length bigint not null default 0,
    normalized_avgdl double precision,
    updated_at timestamptz not null default now(),
    constraint bm25_stats_pkey primary key (tenant_id),
    constraint bm25_stats_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint bm25_stats_counts_check check (doc_count >= 0 and total_length >= 0)
);

comment on table knowledge.bm25_stats is 'BM25 collection statistics per tenant (one tenant''s corpus never shifts another''s scores), kept by trigger';
comment on column knowledge.bm25_stats.tenant_id is 'The tenant';
comment on column knowledge.bm25_stats.doc_count is 'Chunks (N)';
comment on column knowledge.bm25_stats.total_length is 'Sum of chunk lengths in terms (avgdl = total_length / doc_count)';
comment on column knowledge.bm25_stats.normalized_avgdl is 'avgdl the stored term scores were normalised with; agentdb maintain renormalises when the real one drifts';
comment on column knowledge.bm25_stats.updated_at is 'When the row last changed (trigger _100_set_updated_at)';

create trigger _100_set_updated_at before update on knowledge.bm25_stats
for each row execute function ops.tg_set_updated_at();

create table knowledge.bm25_terms (
    tenant_id uuid not null,
    term text not null,
    doc_freq integer not null default 0,
    constraint bm25_terms_pkey primary key (tenant_id, term),
    constraint bm25_terms_doc_freq_check check (doc_freq >= 0)
);

comment on table knowledge.bm25_terms is 'Document frequency of every term per tenant (n in the IDF), kept by trigger';
comment on column knowledge.bm25_terms.tenant_id is 'The tenant';
comment on column knowledge.bm25_terms.term is 'A lexeme as the text search configuration produces it';
comment on column knowledge.bm25_terms.doc_freq is 'Chunks of the tenant that contain it';

create table knowledge.bm25_postings (
    tenant_id uuid not null,
    term text not null,
    chunk_id uuid not null,
    tf integer not null,
    doc_length integer not null,
    tf_norm real not null,
    constraint bm25_postings_pkey primary key (tenant_id, term, chunk_id),
    constraint bm25_postings_tf_check check (tf > 0 and doc_length > 0)
);

create index bm25_postings_tenant_id_term_tf_norm_idx on knowledge.bm25_postings (tenant_id, term, tf_norm desc);
create index bm25_postings_tenant_id_chunk_id_idx on knowledge.bm25_postings (tenant_id, chunk_id);

comment on table knowledge.bm25_postings is 'One row per term per chunk: term frequency, chunk length and the stored term score (k1 1.2, b 0.75) that orders a term''s postings, so a query reads only each term''s best ones';
comment on column knowledge.bm25_postings.tenant_id is 'The tenant';
comment on column knowledge.bm25_postings.term is 'The lexeme';
comment on column knowledge.bm25_postings.chunk_id is 'The chunk (knowledge.chunks.id)';
comment on column knowledge.bm25_postings.tf is 'How often the term occurs in the chunk';
comment on column knowledge.bm25_postings.doc_length is 'Length of the chunk in terms';
comment on column knowledge.bm25_postings.tf_norm is 'tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) with k1 1.2, b 0.75 and the tenant''s normalized_avgdl';
comment on index knowledge.bm25_postings_tenant_id_term_tf_norm_idx is 'A term''s postings, best first: the top-k read';
comment on index knowledge.bm25_postings_tenant_id_chunk_id_idx is 'A chunk''s postings, for deletes';

create trigger _400_bm25_insert after insert on knowledge.chunks
referencing new table as new_rows
for each statement execute function knowledge.tg_bm25();
create trigger _400_bm25_update after update on knowledge.chunks
referencing old table as old_rows new table as new_rows
for each statement execute function knowledge.tg_bm25();
create trigger _400_bm25_delete after delete on knowledge.chunks
referencing old table as old_rows
for each statement execute function knowledge.tg_bm25();

select knowledge.bm25_add(
    array(select c.tenant_id from knowledge.chunks as c order by c.tenant_id, c.id),
    array(select c.id from knowledge.chunks as c order by c.tenant_id, c.id),
    array(select c.search_text from knowledge.chunks as c order by c.tenant_id, c.id)
);
