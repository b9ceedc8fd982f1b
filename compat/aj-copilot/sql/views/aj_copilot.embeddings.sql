-- AJ Copilot embeddings: knowledge.chunks under AJ's name; a write passes through to knowledge.chunks (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.embeddings
with (security_invoker = true)
as
select
    e.id,
    e.tenant_id as organization_id,
    e.agent_id,
    e.document_id,
    e.chunk_index,
    e.content,
    e.embedding_model_id,
    e.embedding,
    e.metadata,
    e.created_at
from knowledge.chunks as e;

comment on view aj_copilot.embeddings is 'RAG vectors per agent and per embedding model (knowledge.chunks); each model has its own HNSW index; updatable: a write passes through to knowledge.chunks';
comment on column aj_copilot.embeddings.id is 'knowledge.chunks.id';
comment on column aj_copilot.embeddings.organization_id is 'knowledge.chunks.tenant_id';
comment on column aj_copilot.embeddings.agent_id is 'knowledge.chunks.agent_id';
comment on column aj_copilot.embeddings.document_id is 'knowledge.chunks.document_id';
comment on column aj_copilot.embeddings.chunk_index is 'knowledge.chunks.chunk_index';
comment on column aj_copilot.embeddings.content is 'knowledge.chunks.content';
comment on column aj_copilot.embeddings.embedding_model_id is 'knowledge.chunks.embedding_model_id';
comment on column aj_copilot.embeddings.embedding is 'knowledge.chunks.embedding';
comment on column aj_copilot.embeddings.metadata is 'knowledge.chunks.metadata';
comment on column aj_copilot.embeddings.created_at is 'knowledge.chunks.created_at';
