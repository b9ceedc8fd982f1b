-- Create memory.documents (the shared wiki of ikigai: alias, markdown, tags, project or
-- cross-project, full text) and memory.document_versions (every edit kept by trigger).
-- requires: ops.tg_set_updated_at memory.tg_keep_document_version

create table memory.documents (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    ref_number bigint generated always as identity,
    alias text,
    title text not null,
    content text not null default '',
    tags text[] not null default '{}',
    project_id uuid,
    created_by_agent_id uuid,
    updated_by_agent_id uuid,
    git_commit_ref text,
    version integer not null default 1,
    search_text tsvector generated always as (
        setweight(to_tsvector('english'::regconfig, title), 'A')
        || setweight(to_tsvector('english'::regconfig, content), 'B')
    ) stored,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint documents_pkey primary key (tenant_id, id),
    constraint documents_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint documents_tenant_id_ref_number_key unique (tenant_id, ref_number),
    constraint documents_tenant_id_alias_key unique (tenant_id, alias),
    constraint documents_tenant_id_project_id_fkey foreign key (tenant_id, project_id)
    references core.projects (tenant_id, id) on delete set null (project_id),
    constraint documents_tenant_id_created_by_agent_id_fkey foreign key (tenant_id, created_by_agent_id)
    references agents.agents (tenant_id, id) on delete set null (created_by_agent_id),
    constraint documents_tenant_id_updated_by_agent_id_fkey foreign key (tenant_id, updated_by_agent_id)
    references agents.agents (tenant_id, id) on delete set null (updated_by_agent_id),
    constraint documents_alias_check check (alias ~ '^[a-z0-9][a-z0-9._/-]{0,199}$' and alias !~ '^[0-9]+$'),
    constraint documents_git_commit_ref_check check (git_commit_ref ~ '^[0-9a-f]{7,64}$'),
    constraint documents_version_check check (version >= 1)
);

create index documents_tenant_id_project_id_idx on memory.documents (tenant_id, project_id);
create index documents_tenant_id_created_by_agent_id_idx on memory.documents (tenant_id, created_by_agent_id);
create index documents_tenant_id_updated_by_agent_id_idx on memory.documents (tenant_id, updated_by_agent_id);
create index documents_tags_idx on memory.documents using gin (tags);
create index documents_search_text_idx on memory.documents using gin (search_text);

comment on table memory.documents is 'Memory documents: the shared markdown wiki every agent of a tenant can read (ikigai), referenced as #mem-<ref_number> or #mem-<alias>';
comment on column memory.documents.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column memory.documents.id is 'Time-ordered id (ops.uuidv7)';
comment on column memory.documents.ref_number is 'Short number for references: #mem-124';
comment on column memory.documents.alias is 'Optional readable name for references: #mem-oauth/patterns; unique per tenant, lowercase, not all digits';
comment on column memory.documents.title is 'Title';
comment on column memory.documents.content is 'Markdown content';
comment on column memory.documents.tags is 'Tags for categorisation';
comment on column memory.documents.project_id is 'Project the document belongs to; null for a cross-project document';
comment on column memory.documents.created_by_agent_id is 'Agent that created it';
comment on column memory.documents.updated_by_agent_id is 'Agent that made the latest edit';
comment on column memory.documents.git_commit_ref is 'Commit the document refers to (hex sha)';
comment on column memory.documents.version is 'Version number, 1 at creation, incremented by trigger on each edit';
comment on column memory.documents.search_text is 'Full-text vector: title (weight A) and content (weight B), english';
comment on column memory.documents.created_at is 'When the document was created';
comment on column memory.documents.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column memory.documents.archived_at is 'Soft delete: set when archived';
comment on index memory.documents_tenant_id_project_id_idx is 'Documents of a project; supports the project foreign key';
comment on index memory.documents_tenant_id_created_by_agent_id_idx is 'Supports the creating agent foreign key';
comment on index memory.documents_tenant_id_updated_by_agent_id_idx is 'Supports the editing agent foreign key';
comment on index memory.documents_tags_idx is 'Documents by tag';
comment on index memory.documents_search_text_idx is 'Full-text search';

create trigger _100_set_updated_at before update on memory.documents
for each row execute function ops.tg_set_updated_at();

create trigger _200_keep_version before update on memory.documents
for each row execute function memory.tg_keep_document_version();

create table memory.document_versions (
    tenant_id uuid not null,
    document_id uuid not null,
    version integer not null,
    alias text,
    title text not null,
    content text not null,
    tags text[] not null,
    project_id uuid,
    git_commit_ref text,
    edited_by_agent_id uuid,
    valid_from timestamptz not null,
    valid_to timestamptz not null,
    constraint document_versions_pkey primary key (tenant_id, document_id, version),
    constraint document_versions_tenant_id_document_id_fkey foreign key (tenant_id, document_id)
    references memory.documents (tenant_id, id) on delete cascade,
    constraint document_versions_valid_check check (valid_to >= valid_from)
);

comment on table memory.document_versions is 'Earlier versions of memory documents, one row per edit, written by trigger _200_keep_version';
comment on column memory.document_versions.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column memory.document_versions.document_id is 'The document';
comment on column memory.document_versions.version is 'The version number this row held';
comment on column memory.document_versions.alias is 'Alias in that version';
comment on column memory.document_versions.title is 'Title in that version';
comment on column memory.document_versions.content is 'Content in that version';
comment on column memory.document_versions.tags is 'Tags in that version';
comment on column memory.document_versions.project_id is 'Project in that version';
comment on column memory.document_versions.git_commit_ref is 'Git ref in that version';
comment on column memory.document_versions.edited_by_agent_id is 'Agent that wrote that version';
comment on column memory.document_versions.valid_from is 'When that version was written';
comment on column memory.document_versions.valid_to is 'When it was replaced';
