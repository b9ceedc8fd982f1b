-- cirkelline's user memories: agentdb's memory.memories owned by users.
-- depends: ai.tg_agno_memories
create or replace view ai.agno_memories
with (security_invoker = true)
as
select
    m.id,
    m.id as memory_id,
    coalesce(u.external_id, u.id::text) as user_id,
    m.content as memory,
    pg_catalog.to_jsonb(m.topics) as topics,
    m.input,
    m.created_at,
    m.updated_at,
    m.last_accessed_at as accessed_at
from memory.memories as m
inner join core.users as u on m.tenant_id = u.tenant_id and m.user_id = u.id;

create or replace trigger ai_agno_memories_write instead of insert or update or delete on ai.agno_memories
for each row execute function ai.tg_agno_memories();

comment on view ai.agno_memories is 'cirkelline user memories (memory.memories with a user): the columns in the order agno_memories_archive expects, so INSERT INTO ai.agno_memories_archive SELECT *, NOW() FROM ai.agno_memories works';
comment on column ai.agno_memories.id is 'The memory id';
comment on column ai.agno_memories.memory_id is 'The memory id';
comment on column ai.agno_memories.user_id is 'The owner''s external id (else id)';
comment on column ai.agno_memories.memory is 'The memory text';
comment on column ai.agno_memories.topics is 'Topics as a JSON array';
comment on column ai.agno_memories.input is 'The user input the memory came from';
comment on column ai.agno_memories.created_at is 'When it was made';
comment on column ai.agno_memories.updated_at is 'Last change';
comment on column ai.agno_memories.accessed_at is 'Last access';
