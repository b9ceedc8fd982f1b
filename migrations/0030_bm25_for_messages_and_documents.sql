-- BM25 for messages and memory documents through the chunks' mechanism: per-tenant (and
-- per-scope) statistics, document frequencies and score-ordered postings kept by
-- statement triggers, read by ops.bm25_rows like the chunks' own (knowledge.bm25_*).
-- The chunks' score-ordered index gains the chunk id (ties in a fixed order) and covers
-- tf and length, so the exact top-k reads postings from the index alone.
-- requires: ops.tg_bm25_rows ops.bm25_add_rows ops.bm25_remove_rows ops.bm25_tf

create table ops.bm25_stats (
    tenant_id uuid not null,
    scope text not null,
    doc_count bigint not null default 0,
    total_length bigint not null default 0,
    normalized_avgdl double precision,
    updated_at timestamptz not null default now(),
    constraint bm25_stats_pkey primary key (tenant_id, scope),
    constraint bm25_stats_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint bm25_stats_scope_check check (scope in ('messages', 'documents')),
    constraint bm25_stats_counts_check check (doc_count >= 0 and total_length >= 0)
);

comment on table ops.bm25_stats is 'BM25 collection statistics per tenant and scope (messages, documents), kept by trigger; the chunks'' are in knowledge.bm25_stats';
comment on column ops.bm25_stats.tenant_id is 'The tenant';
comment on column ops.bm25_stats.scope is 'messages (chat.messages) or documents (memory.documents)';
comment on column ops.bm25_stats.doc_count is 'Rows of the scope (N)';
comment on column ops.bm25_stats.total_length is 'Sum of row lengths in terms (avgdl = total_length / doc_count)';
comment on column ops.bm25_stats.normalized_avgdl is 'avgdl the stored term scores were normalised with; agentdb maintain renormalises when the real one drifts';
comment on column ops.bm25_stats.updated_at is 'When the row last changed (trigger _100_set_updated_at)';

create trigger _100_set_updated_at before update on ops.bm25_stats
for each row execute function ops.tg_set_updated_at();

create table ops.bm25_terms (
    tenant_id uuid not null,
    scope text not null,
    term text not null,
    doc_freq integer not null default 0,
    constraint bm25_terms_pkey primary key (tenant_id, scope, term),
    constraint bm25_terms_scope_check check (scope in ('messages', 'documents')),
    constraint bm25_terms_doc_freq_check check (doc_freq >= 0)
);

comment on table ops.bm25_terms is 'Document frequency of every term per tenant and scope (n in the IDF), kept by trigger';
comment on column ops.bm25_terms.tenant_id is 'The tenant';
comment on column ops.bm25_terms.scope is 'messages or documents';
comment on column ops.bm25_terms.term is 'A lexeme of the row''s search_text';
comment on column ops.bm25_terms.doc_freq is 'Rows of the tenant''s scope that contain it';

create table ops.bm25_postings (
    tenant_id uuid not null,
    scope text not null,
    term text not null,
    row_id uuid not null,
    tf integer not null,
    doc_length integer not null,
    tf_norm real not null,
    constraint bm25_postings_pkey primary key (tenant_id, scope, term, row_id),
    constraint bm25_postings_scope_check check (scope in ('messages', 'documents')),
    constraint bm25_postings_tf_check check (tf > 0 and doc_length > 0)
);

create index bm25_postings_tenant_id_scope_term_tf_norm_idx on ops.bm25_postings (
    tenant_id, scope, term, tf_norm desc, row_id
) include (tf, doc_length);
create index bm25_postings_tenant_id_row_id_idx on ops.bm25_postings (tenant_id, row_id);

comment on table ops.bm25_postings is 'One row per term per message or memory document: term frequency (a title occurrence counts twice), row length and the stored term score (k1 1.2, b 0.75) that orders a term''s postings';
comment on column ops.bm25_postings.tenant_id is 'The tenant';
comment on column ops.bm25_postings.scope is 'messages or documents';
comment on column ops.bm25_postings.term is 'The lexeme';
comment on column ops.bm25_postings.row_id is 'The message (chat.messages.id) or document (memory.documents.id)';
comment on column ops.bm25_postings.tf is 'How often the term occurs in the row (weight-A positions, a document''s title, count twice)';
comment on column ops.bm25_postings.doc_length is 'Length of the row in terms, counted like tf';
comment on column ops.bm25_postings.tf_norm is 'tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) with k1 1.2, b 0.75 and the scope''s normalized_avgdl';
comment on index ops.bm25_postings_tenant_id_scope_term_tf_norm_idx is 'A term''s postings, best first, ties by row id, covering tf and length: the exact top-k reads prefixes of it';
comment on index ops.bm25_postings_tenant_id_row_id_idx is 'A row''s postings, for deletes';

-- lint: allow S001 the postings index is rebuilt once with the chunk id and covered columns
create index bm25_postings_tenant_id_term_tf_norm_chunk_id_idx on knowledge.bm25_postings (
    tenant_id, term, tf_norm desc, chunk_id
) include (tf, doc_length);
comment on index knowledge.bm25_postings_tenant_id_term_tf_norm_chunk_id_idx is 'A term''s postings, best first, ties by chunk id, covering tf and length: the exact top-k (ops.bm25_rows) reads prefixes of it';
-- lint: allow S001 dropping an index takes a brief lock and builds nothing
drop index knowledge.bm25_postings_tenant_id_term_tf_norm_idx;

create trigger _400_bm25_insert after insert on chat.messages
referencing new table as new_rows
for each statement execute function ops.tg_bm25_rows('messages');
create trigger _400_bm25_update after update on chat.messages
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_bm25_rows('messages');
create trigger _400_bm25_delete after delete on chat.messages
referencing old table as old_rows
for each statement execute function ops.tg_bm25_rows('messages');

create trigger _400_bm25_insert after insert on memory.documents
referencing new table as new_rows
for each statement execute function ops.tg_bm25_rows('documents');
create trigger _400_bm25_update after update on memory.documents
referencing old table as old_rows new table as new_rows
for each statement execute function ops.tg_bm25_rows('documents');
create trigger _400_bm25_delete after delete on memory.documents
referencing old table as old_rows
for each statement execute function ops.tg_bm25_rows('documents');

select ops.bm25_add_rows(
    'messages',
    array(select m.tenant_id from chat.messages as m order by m.tenant_id, m.id),
    array(select m.id from chat.messages as m order by m.tenant_id, m.id),
    array(select m.search_text from chat.messages as m order by m.tenant_id, m.id)
);
select ops.bm25_add_rows(
    'documents',
    array(select d.tenant_id from memory.documents as d order by d.tenant_id, d.id),
    array(select d.id from memory.documents as d order by d.tenant_id, d.id),
    array(select d.search_text from memory.documents as d order by d.tenant_id, d.id)
);
