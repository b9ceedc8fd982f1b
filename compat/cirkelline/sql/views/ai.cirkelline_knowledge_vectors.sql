-- cirkelline's 768-dimensional knowledge vectors: agentdb's knowledge.chunks.
-- depends: ai.tg_cirkelline_knowledge_vectors
create or replace view ai.cirkelline_knowledge_vectors
with (security_invoker = true)
as
select
    c.id,
    c.embedding::public.vector(768) as embedding,
    c.content as chunk_text,
    (d.metadata ->> 'agno_knowledge_id')::integer as document_id,
    c.metadata,
    c.created_at,
    c.created_at as updated_at,
    (c.metadata ->> 'similarity_to_query')::double precision as similarity
from knowledge.chunks as c
inner join knowledge.documents as d on c.tenant_id = d.tenant_id and c.document_id = d.id
inner join knowledge.embedding_models as m on c.embedding_model_id = m.id
where m.dimensions = 768;

create or replace trigger ai_cirkelline_knowledge_vectors_write instead of insert or update or delete
on ai.cirkelline_knowledge_vectors
for each row execute function ai.tg_cirkelline_knowledge_vectors();

comment on view ai.cirkelline_knowledge_vectors is 'cirkelline knowledge vectors (knowledge.chunks embedded by a 768-dimensional model, each model with its own HNSW index, m 16 and ef_construction 200 when registered so); similarity is the chunk''s stored metadata.similarity_to_query';
comment on column ai.cirkelline_knowledge_vectors.id is 'The chunk id';
comment on column ai.cirkelline_knowledge_vectors.embedding is 'The chunk''s 768-dimensional embedding';
comment on column ai.cirkelline_knowledge_vectors.chunk_text is 'The chunk text (knowledge.chunks.content)';
comment on column ai.cirkelline_knowledge_vectors.document_id is 'cirkelline''s integer id of its document (ai.agno_knowledge.id)';
comment on column ai.cirkelline_knowledge_vectors.metadata is 'user_id, chunk_index, chunk_total, page_number...';
comment on column ai.cirkelline_knowledge_vectors.created_at is 'When it was loaded';
comment on column ai.cirkelline_knowledge_vectors.updated_at is 'When it was loaded (chunks are replaced, not changed)';
comment on column ai.cirkelline_knowledge_vectors.similarity is 'metadata ->> ''similarity_to_query'' as stored with the chunk; the similarity to a query is 1 - (embedding <=> query)';
