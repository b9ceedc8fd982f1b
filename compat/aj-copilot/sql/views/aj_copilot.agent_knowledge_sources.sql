-- AJ Copilot agent_knowledge_sources: agents.knowledge_sources under AJ's name; a write passes through to agents.knowledge_sources (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.agent_knowledge_sources
with (security_invoker = true)
as
select
    k.id,
    k.tenant_id as organization_id,
    k.agent_id,
    k.kind,
    k.name,
    k.uri,
    k.config,
    k.embedding_model,
    k.status,
    k.last_indexed_at,
    k.created_at,
    k.updated_at
from agents.knowledge_sources as k;

comment on view aj_copilot.agent_knowledge_sources is 'RAG configuration of agents (agents.knowledge_sources): files, URLs, text, databases, APIs, folders; updatable: a write passes through to agents.knowledge_sources';
comment on column aj_copilot.agent_knowledge_sources.id is 'agents.knowledge_sources.id';
comment on column aj_copilot.agent_knowledge_sources.organization_id is 'agents.knowledge_sources.tenant_id';
comment on column aj_copilot.agent_knowledge_sources.agent_id is 'agents.knowledge_sources.agent_id';
comment on column aj_copilot.agent_knowledge_sources.kind is 'agents.knowledge_sources.kind';
comment on column aj_copilot.agent_knowledge_sources.name is 'agents.knowledge_sources.name';
comment on column aj_copilot.agent_knowledge_sources.uri is 'agents.knowledge_sources.uri';
comment on column aj_copilot.agent_knowledge_sources.config is 'agents.knowledge_sources.config';
comment on column aj_copilot.agent_knowledge_sources.embedding_model is 'agents.knowledge_sources.embedding_model';
comment on column aj_copilot.agent_knowledge_sources.status is 'agents.knowledge_sources.status';
comment on column aj_copilot.agent_knowledge_sources.last_indexed_at is 'agents.knowledge_sources.last_indexed_at';
comment on column aj_copilot.agent_knowledge_sources.created_at is 'agents.knowledge_sources.created_at';
comment on column aj_copilot.agent_knowledge_sources.updated_at is 'agents.knowledge_sources.updated_at';
