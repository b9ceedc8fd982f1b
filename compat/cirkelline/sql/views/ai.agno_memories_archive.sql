-- cirkelline's memory archive: agentdb's memory.archived_memories of users.
-- depends: ai.tg_agno_memories_archive
create or replace view ai.agno_memories_archive
with (security_invoker = true)
as
select
    a.id,
    a.id as original_memory_id,
    coalesce(u.external_id, u.id::text) as user_id,
    a.content as memory,
    pg_catalog.to_jsonb(a.topics) as topics,
    a.input,
    a.created_at,
    a.updated_at,
    a.last_accessed_at as accessed_at,
    a.archived_at,
    a.optimization_run_id::text as optimization_run_id
from memory.archived_memories as a
inner join core.users as u on a.tenant_id = u.tenant_id and a.user_id = u.id;

create or replace trigger ai_agno_memories_archive_write instead of insert or update or delete
on ai.agno_memories_archive
for each row execute function ai.tg_agno_memories_archive();

comment on view ai.agno_memories_archive is 'cirkelline''s archive of user memories (memory.archived_memories): "the same as agno_memories, plus archived_at and optimization_run_id", in that order, so SELECT *, NOW() FROM ai.agno_memories fills it';
comment on column ai.agno_memories_archive.id is 'The archived memory''s id';
comment on column ai.agno_memories_archive.original_memory_id is 'The memory''s id in the stream';
comment on column ai.agno_memories_archive.user_id is 'The owner''s external id (else id)';
comment on column ai.agno_memories_archive.memory is 'The memory text (text, as in agno_memories, so the archive insert needs no cast)';
comment on column ai.agno_memories_archive.topics is 'Topics as a JSON array';
comment on column ai.agno_memories_archive.input is 'The user input the memory came from';
comment on column ai.agno_memories_archive.created_at is 'When the memory was made';
comment on column ai.agno_memories_archive.updated_at is 'Its last change before archiving';
comment on column ai.agno_memories_archive.accessed_at is 'Its last access before archiving';
comment on column ai.agno_memories_archive.archived_at is 'When it was archived';
comment on column ai.agno_memories_archive.optimization_run_id is 'The optimization run that archived it (a uuid)';
