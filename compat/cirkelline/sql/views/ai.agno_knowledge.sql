-- cirkelline's document metadata: agentdb's knowledge.documents.
-- depends: ai.tg_agno_knowledge
create or replace view ai.agno_knowledge
with (security_invoker = true)
as
select
    (d.metadata ->> 'agno_knowledge_id')::integer as id,
    d.name,
    d.file_name,
    d.path as file_path,
    d.content_type,
    d.metadata - 'agno_knowledge_id' as metadata,
    d.created_at,
    d.updated_at
from knowledge.documents as d;

create or replace trigger ai_agno_knowledge_write instead of insert or update or delete on ai.agno_knowledge
for each row execute function ai.tg_agno_knowledge();

comment on view ai.agno_knowledge is 'cirkelline document metadata (knowledge.documents); id is cirkelline''s integer id, null for documents loaded by other means (agentdb ingest)';
comment on column ai.agno_knowledge.id is 'cirkelline''s integer document id (knowledge.documents.metadata ->> ''agno_knowledge_id'')';
comment on column ai.agno_knowledge.name is 'Document name';
comment on column ai.agno_knowledge.file_name is 'Original file name';
comment on column ai.agno_knowledge.file_path is 'knowledge.documents.path';
comment on column ai.agno_knowledge.content_type is 'MIME type';
comment on column ai.agno_knowledge.metadata is 'user_id, tags, document_type, chunk_count...';
comment on column ai.agno_knowledge.created_at is 'When it was loaded';
comment on column ai.agno_knowledge.updated_at is 'Last change';
