-- Create the embedding model registry, knowledge documents and chunks, the memory
-- stream with its archive, and embeddings on memory documents. Registering a model
-- creates its partial HNSW index on every table with an embedding column.
-- requires: ops.tg_set_updated_at knowledge.tg_create_embedding_indexes

create table knowledge.embedding_models (
    id integer generated always as identity,
    name text not null,
    dimensions integer not null,
    distance text not null default 'cosine',
    index_storage text not null default 'vector',
    hnsw_m integer not null default 16,
    hnsw_ef_construction integer not null default 64,
    provider text,
    description text,
    created_at timestamptz not null default now(),
    constraint embedding_models_pkey primary key (id),
    constraint embedding_models_name_key unique (name),
    constraint embedding_models_distance_check check (distance in ('cosine', 'l2', 'inner_product')),
    constraint embedding_models_index_storage_check check (index_storage in ('vector', 'halfvec')),
    constraint embedding_models_dimensions_check check (
        dimensions between 1 and case index_storage when 'vector' then 2000 else 4000 end
    ),
    constraint embedding_models_hnsw_m_check check (hnsw_m between 2 and 100),
    constraint embedding_models_hnsw_ef_construction_check check (hnsw_ef_construction between 4 and 1000)
);

comment on table knowledge.embedding_models is 'Embedding models, global to all tenants (a Citus reference table): each has its own partial HNSW index on every table with an embedding column, so models of different sizes live side by side';
comment on column knowledge.embedding_models.id is 'Model id, stored beside each embedding (embedding_model_id)';
comment on column knowledge.embedding_models.name is 'Model name as the embedder knows it (e.g. all-MiniLM-L6-v2, text-embedding-3-small)';
comment on column knowledge.embedding_models.dimensions is 'Vector size; at most 2000 stored as vector, 4000 as halfvec (HNSW limits)';
comment on column knowledge.embedding_models.distance is 'cosine, l2 or inner_product: the operator search uses and the index is built for';
comment on column knowledge.embedding_models.index_storage is 'vector (4 bytes a dimension) or halfvec (2 bytes, half the index memory)';
comment on column knowledge.embedding_models.hnsw_m is 'HNSW m: links per node (16 default)';
comment on column knowledge.embedding_models.hnsw_ef_construction is 'HNSW ef_construction: candidate list while building (64 default; cirkelline uses 200)';
comment on column knowledge.embedding_models.provider is 'Where embeddings come from (sentence-transformers, openai, ollama, ...)';
comment on column knowledge.embedding_models.description is 'Notes';
comment on column knowledge.embedding_models.created_at is 'When the model was registered';

create table knowledge.documents (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    name text not null,
    file_name text,
    path text,
    content_type text,
    source text,
    knowledge_source_id uuid,
    agent_id uuid,
    sha256 text,
    chunk_count integer not null default 0,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint documents_pkey primary key (tenant_id, id),
    constraint documents_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint documents_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint documents_tenant_id_knowledge_source_id_fkey foreign key (tenant_id, knowledge_source_id)
    references agents.knowledge_sources (tenant_id, id) on delete set null (knowledge_source_id),
    constraint documents_tenant_id_path_key unique (tenant_id, path),
    constraint documents_sha256_check check (sha256 ~ '^[0-9a-f]{64}$'),
    constraint documents_chunk_count_check check (chunk_count >= 0),
    constraint documents_metadata_check check (jsonb_typeof(metadata) = 'object')
);

create index documents_tenant_id_agent_id_idx on knowledge.documents (tenant_id, agent_id);
create index documents_tenant_id_knowledge_source_id_idx on knowledge.documents (tenant_id, knowledge_source_id)
where knowledge_source_id is not null;

comment on table knowledge.documents is 'A source document for retrieval (cirkelline agno_knowledge, AJ files as RAG sources): its chunks hold the text and embeddings';
comment on column knowledge.documents.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column knowledge.documents.id is 'Time-ordered id (ops.uuidv7)';
comment on column knowledge.documents.name is 'Display name';
comment on column knowledge.documents.file_name is 'File name';
comment on column knowledge.documents.path is 'Where it was loaded from (unique per tenant); agentdb ingest uses it to replace a changed file';
comment on column knowledge.documents.content_type is 'MIME type';
comment on column knowledge.documents.source is 'How it arrived (upload, ingest, url, api)';
comment on column knowledge.documents.knowledge_source_id is 'Agent knowledge source it belongs to (AJ)';
comment on column knowledge.documents.agent_id is 'Owning agent, when the knowledge is one agent''s';
comment on column knowledge.documents.sha256 is 'sha256 of the loaded content; an unchanged file is not loaded again';
comment on column knowledge.documents.chunk_count is 'Number of chunks, set by the loader';
comment on column knowledge.documents.metadata is 'Document metadata as a JSON object (user_id, document_type, ...)';
comment on column knowledge.documents.created_at is 'When the document was first loaded';
comment on column knowledge.documents.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column knowledge.documents.archived_at is 'Soft delete: set when archived';
comment on index knowledge.documents_tenant_id_agent_id_idx is 'An agent''s documents; supports the agent foreign key';
comment on index knowledge.documents_tenant_id_knowledge_source_id_idx is 'Supports the knowledge source foreign key';

create trigger _100_set_updated_at before update on knowledge.documents
for each row execute function ops.tg_set_updated_at();

create table knowledge.chunks (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    document_id uuid not null,
    chunk_index integer not null,
    content text not null,
    search_text tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
    embedding public.vector,
    embedding_model_id integer,
    agent_id uuid,
    token_count integer,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    constraint chunks_pkey primary key (tenant_id, id),
    constraint chunks_tenant_id_document_id_fkey foreign key (tenant_id, document_id)
    references knowledge.documents (tenant_id, id) on delete cascade,
    constraint chunks_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint chunks_embedding_model_id_fkey foreign key (embedding_model_id)
    references knowledge.embedding_models (id),
    constraint chunks_tenant_id_document_id_chunk_index_key unique (tenant_id, document_id, chunk_index),
    constraint chunks_chunk_index_check check (chunk_index >= 0),
    constraint chunks_embedding_check check ((embedding is null) = (embedding_model_id is null)),
    constraint chunks_token_count_check check (token_count >= 0),
    constraint chunks_metadata_check check (jsonb_typeof(metadata) = 'object')
);

create index chunks_search_text_idx on knowledge.chunks using gin (search_text);
create index chunks_tenant_id_agent_id_idx on knowledge.chunks (tenant_id, agent_id) where agent_id is not null;
create index chunks_embedding_model_id_idx on knowledge.chunks (embedding_model_id);
create index chunks_metadata_idx on knowledge.chunks using gin (metadata jsonb_path_ops);

comment on table knowledge.chunks is 'A passage of a knowledge document with its full-text vector and its embedding of one registered model (cirkelline knowledge vectors, AJ embeddings per agent and model)';
comment on column knowledge.chunks.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column knowledge.chunks.id is 'Time-ordered id (ops.uuidv7)';
comment on column knowledge.chunks.document_id is 'The document';
comment on column knowledge.chunks.chunk_index is 'Position in the document, from 0';
comment on column knowledge.chunks.content is 'The passage';
comment on column knowledge.chunks.search_text is 'Full-text vector of the content (english), generated';
comment on column knowledge.chunks.embedding is 'Embedding of the content by model embedding_model_id, any size: the model''s partial HNSW index casts it to its dimensions (and refuses a vector of another size)';
comment on column knowledge.chunks.embedding_model_id is 'Model of the embedding; set exactly when embedding is';
comment on column knowledge.chunks.agent_id is 'Agent whose knowledge this is (copied from the document for filtering)';
comment on column knowledge.chunks.token_count is 'Tokens in the passage, when counted';
comment on column knowledge.chunks.metadata is 'Chunk metadata as a JSON object (headings, page, user_id ...)';
comment on column knowledge.chunks.created_at is 'When the chunk was loaded';
comment on index knowledge.chunks_search_text_idx is 'Full-text search (the keyword leg)';
comment on index knowledge.chunks_tenant_id_agent_id_idx is 'Supports the agent foreign key';
comment on index knowledge.chunks_embedding_model_id_idx is 'Supports the model foreign key';
comment on index knowledge.chunks_metadata_idx is 'Metadata containment filters (metadata @> ...)';

create table memory.memories (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid,
    user_id uuid,
    kind text not null,
    content text not null,
    topics text[] not null default '{}',
    importance real not null default 5,
    emotional_relevance real not null default 0,
    tags text[] not null default '{}',
    related_agent_ids uuid[] not null default '{}',
    related_character_ids uuid[] not null default '{}',
    location text,
    evidence_ids uuid[] not null default '{}',
    embedding public.vector,
    embedding_model_id integer,
    search_text tsvector generated always as (to_tsvector('english'::regconfig, content)) stored,
    access_count integer not null default 0,
    last_accessed_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint memories_pkey primary key (tenant_id, id),
    constraint memories_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint memories_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint memories_embedding_model_id_fkey foreign key (embedding_model_id)
    references knowledge.embedding_models (id),
    constraint memories_owner_check check (num_nonnulls(agent_id, user_id) >= 1),
    constraint memories_kind_check check (
        kind in ('observation', 'reflection', 'plan', 'metacognition', 'fact', 'preference')
    ),
    constraint memories_importance_check check (importance between 0 and 10),
    constraint memories_emotional_relevance_check check (emotional_relevance between 0 and 1),
    constraint memories_embedding_check check ((embedding is null) = (embedding_model_id is null)),
    constraint memories_access_count_check check (access_count >= 0)
);

create index memories_tenant_id_agent_id_kind_created_at_idx
on memory.memories (tenant_id, agent_id, kind, created_at desc);
create index memories_tenant_id_agent_id_created_at_idx on memory.memories (tenant_id, agent_id, created_at desc);
create index memories_tenant_id_user_id_created_at_idx on memory.memories (tenant_id, user_id, created_at desc)
where user_id is not null;
create index memories_embedding_model_id_idx on memory.memories (embedding_model_id);
create index memories_search_text_idx on memory.memories using gin (search_text);
create index memories_topics_idx on memory.memories using gin (topics);

comment on table memory.memories is 'The memory stream of agents and users: observations, reflections, plans, metacognition (Heartwood), facts and preferences (cirkelline user memories), with importance, emotion and an embedding for retrieval';
comment on column memory.memories.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column memory.memories.id is 'Time-ordered id (ops.uuidv7)';
comment on column memory.memories.agent_id is 'Agent whose memory it is (at least one of agent_id, user_id)';
comment on column memory.memories.user_id is 'User the memory is about or belongs to (cirkelline user memories)';
comment on column memory.memories.kind is 'observation, reflection, plan, metacognition, fact or preference';
comment on column memory.memories.content is 'The memory in words';
comment on column memory.memories.topics is 'Topics (cirkelline)';
comment on column memory.memories.importance is 'Significance 0..10 (Heartwood importance score)';
comment on column memory.memories.emotional_relevance is 'Emotional weight 0..1, used by retrieval';
comment on column memory.memories.tags is 'Tags';
comment on column memory.memories.related_agent_ids is 'Agents the memory involves';
comment on column memory.memories.related_character_ids is 'Player characters the memory involves';
comment on column memory.memories.location is 'Where it happened';
comment on column memory.memories.evidence_ids is 'For a reflection: the memories it rests on';
comment on column memory.memories.embedding is 'Embedding of the content by model embedding_model_id';
comment on column memory.memories.embedding_model_id is 'Model of the embedding; set exactly when embedding is';
comment on column memory.memories.search_text is 'Full-text vector of the content (english), generated';
comment on column memory.memories.access_count is 'Times retrieval returned it';
comment on column memory.memories.last_accessed_at is 'When retrieval last returned it (recency decays from here)';
comment on column memory.memories.created_at is 'When it was formed';
comment on column memory.memories.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index memory.memories_tenant_id_agent_id_kind_created_at_idx is 'An agent''s memories of a kind in time order (Heartwood idx_memories_agent_type_time)';
comment on index memory.memories_tenant_id_agent_id_created_at_idx is 'An agent''s stream, newest first; supports the agent foreign key';
comment on index memory.memories_tenant_id_user_id_created_at_idx is 'A user''s memories; supports the user foreign key';
comment on index memory.memories_embedding_model_id_idx is 'Supports the model foreign key';
comment on index memory.memories_search_text_idx is 'Full-text search';
comment on index memory.memories_topics_idx is 'Memories by topic';

create trigger _100_set_updated_at before update on memory.memories
for each row execute function ops.tg_set_updated_at();

create table memory.archived_memories (
    like memory.memories including defaults including constraints,
    archived_at timestamptz not null default now(),
    optimization_run_id uuid,
    archive_reason text,
    constraint archived_memories_pkey primary key (tenant_id, id)
);

create trigger _100_set_updated_at before update on memory.archived_memories
for each row execute function ops.tg_set_updated_at();

create index archived_memories_tenant_id_user_id_idx on memory.archived_memories (tenant_id, user_id);
create index archived_memories_tenant_id_agent_id_idx on memory.archived_memories (tenant_id, agent_id);
create index archived_memories_tenant_id_optimization_run_id_idx
on memory.archived_memories (tenant_id, optimization_run_id);

comment on table memory.archived_memories is 'Memories moved out of the stream by an optimization run (cirkelline agno_memories_archive), kept whole with the run that archived them';
comment on column memory.archived_memories.tenant_id is 'Owning tenant';
comment on column memory.archived_memories.id is 'Id the memory had in memory.memories';
comment on column memory.archived_memories.agent_id is 'Agent whose memory it was';
comment on column memory.archived_memories.user_id is 'User the memory was about';
comment on column memory.archived_memories.kind is 'Kind of memory';
comment on column memory.archived_memories.content is 'The memory in words';
comment on column memory.archived_memories.topics is 'Topics';
comment on column memory.archived_memories.importance is 'Significance 0..10';
comment on column memory.archived_memories.emotional_relevance is 'Emotional weight 0..1';
comment on column memory.archived_memories.tags is 'Tags';
comment on column memory.archived_memories.related_agent_ids is 'Agents it involved';
comment on column memory.archived_memories.related_character_ids is 'Characters it involved';
comment on column memory.archived_memories.location is 'Where it happened';
comment on column memory.archived_memories.evidence_ids is 'Memories a reflection rested on';
comment on column memory.archived_memories.embedding is 'Its embedding';
comment on column memory.archived_memories.embedding_model_id is 'Model of the embedding';
comment on column memory.archived_memories.search_text is 'Full-text vector as it was';
comment on column memory.archived_memories.access_count is 'Times retrieval had returned it';
comment on column memory.archived_memories.last_accessed_at is 'When retrieval last returned it';
comment on column memory.archived_memories.created_at is 'When it was formed';
comment on column memory.archived_memories.updated_at is 'When it last changed (trigger _100_set_updated_at)';
comment on column memory.archived_memories.archived_at is 'When it was archived';
comment on column memory.archived_memories.optimization_run_id is 'The optimization run (a work.workflows id) that archived it';
comment on column memory.archived_memories.archive_reason is 'Rule that archived it';
comment on index memory.archived_memories_tenant_id_user_id_idx is 'A user''s archive (cirkelline idx_archive_user_id)';
comment on index memory.archived_memories_tenant_id_agent_id_idx is 'An agent''s archive';
comment on index memory.archived_memories_tenant_id_optimization_run_id_idx is 'What one run archived';

alter table memory.documents add column embedding public.vector;
alter table memory.documents add column embedding_model_id integer;
-- lint: allow S003 unreleased: these tables hold no rows in any deployment before this migration
alter table memory.documents add constraint documents_embedding_model_id_fkey foreign key (embedding_model_id)
references knowledge.embedding_models (id);
-- lint: allow S003 unreleased: these tables hold no rows in any deployment before this migration
alter table memory.documents add constraint documents_embedding_check check (
    (embedding is null) = (embedding_model_id is null)
);
-- lint: allow S001 unreleased: these tables hold no rows in any deployment before this migration
create index documents_embedding_model_id_idx on memory.documents (embedding_model_id);
comment on column memory.documents.embedding is 'Optional embedding of the document by model embedding_model_id';
comment on column memory.documents.embedding_model_id is 'Model of the embedding; set exactly when embedding is';
comment on index memory.documents_embedding_model_id_idx is 'Supports the model foreign key';

-- lint: allow S003 unreleased: these tables hold no rows in any deployment before this migration
alter table chat.messages add constraint messages_embedding_model_id_fkey foreign key (embedding_model_id)
references knowledge.embedding_models (id);
-- lint: allow S001 unreleased: these tables hold no rows in any deployment before this migration
create index messages_embedding_model_id_idx on chat.messages (embedding_model_id);
comment on index chat.messages_embedding_model_id_idx is 'Supports the model foreign key';

create trigger _200_create_embedding_indexes after insert on knowledge.embedding_models
for each row execute function knowledge.tg_create_embedding_indexes();
