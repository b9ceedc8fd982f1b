-- ikigai's shared wiki: agentdb's memory.documents (#mem-124 is id 124).
-- depends: ikigai.tg_memory_documents
create or replace view ikigai.memory_documents
with (security_invoker = true)
as
select
    d.ref_number as id,
    d.alias,
    d.title,
    d.content,
    d.tags,
    p.name as project,
    (a.metadata ->> 'ikigai_id')::bigint as created_by_agent_id,
    d.created_at,
    d.updated_at,
    d.git_commit_ref
from memory.documents as d
left join core.projects as p on d.tenant_id = p.tenant_id and d.project_id = p.id
left join agents.agents as a on d.tenant_id = a.tenant_id and d.created_by_agent_id = a.id
where d.archived_at is null;

create or replace trigger ikigai_memory_documents_write instead of insert or update or delete
on ikigai.memory_documents
for each row execute function ikigai.tg_memory_documents();

comment on view ikigai.memory_documents is 'ikigai memory documents (memory.documents, not archived): id is the #mem- number, alias the #mem-name; versions kept by trigger';
comment on column ikigai.memory_documents.id is 'memory.documents.ref_number (#mem-124)';
comment on column ikigai.memory_documents.alias is 'oauth/patterns (#mem-oauth/patterns)';
comment on column ikigai.memory_documents.title is 'Title';
comment on column ikigai.memory_documents.content is 'Markdown';
comment on column ikigai.memory_documents.tags is 'Tags';
comment on column ikigai.memory_documents.project is 'Project name, null for cross-project';
comment on column ikigai.memory_documents.created_by_agent_id is 'ikigai''s integer id of the agent that wrote it';
comment on column ikigai.memory_documents.created_at is 'Creation time';
comment on column ikigai.memory_documents.updated_at is 'Last edit';
comment on column ikigai.memory_documents.git_commit_ref is 'Commit it refers to';
