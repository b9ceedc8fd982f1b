-- Undo 0007_create_memory_documents.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop table memory.document_versions cascade;
drop table memory.documents cascade;
