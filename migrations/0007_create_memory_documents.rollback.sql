-- Undo 0007_create_memory_documents.
drop table memory.document_versions;
drop table memory.documents;
