-- Undo 0022_add_seed_details. Memories keep the last access they were given.
-- cascade also drops the repeatable functions that read the new columns (agentdb status
-- shows them as missing); the next agentdb migrate re-creates them.
alter table chat.messages alter column tags set default '{}';
comment on column chat.messages.tags is 'Tags; the span''s tags when the client gives none';
drop trigger _950_audit on agents.agent_states;
drop trigger _950_audit on agents.relationships;
drop trigger _950_audit on memory.memories;
drop trigger _905_notify_memory_update on memory.memories;
drop trigger _150_default_last_access on memory.memories;
alter table memory.memories alter column last_accessed_at set default now();
comment on column memory.memories.last_accessed_at is 'When retrieval last returned it (recency decays from here)';
alter table memory.archived_memories drop column metadata cascade;
alter table memory.archived_memories drop column input cascade;
alter table memory.memories drop column metadata cascade;
alter table memory.memories drop column input cascade;
