-- Undo 0030_bm25_for_messages_and_documents.
-- cascade also drops the repeatable views and functions that read these tables (agentdb
-- status shows them as missing); the next agentdb migrate re-creates them.
drop trigger _400_bm25_delete on memory.documents;
drop trigger _400_bm25_update on memory.documents;
drop trigger _400_bm25_insert on memory.documents;
drop trigger _400_bm25_delete on chat.messages;
drop trigger _400_bm25_update on chat.messages;
drop trigger _400_bm25_insert on chat.messages;
drop table ops.bm25_postings cascade;
drop table ops.bm25_terms cascade;
drop table ops.bm25_stats cascade;
create index bm25_postings_tenant_id_term_tf_norm_idx on knowledge.bm25_postings (tenant_id, term, tf_norm desc);
comment on index knowledge.bm25_postings_tenant_id_term_tf_norm_idx is 'A term''s postings, best first: the top-k read';
drop index knowledge.bm25_postings_tenant_id_term_tf_norm_chunk_id_idx;
