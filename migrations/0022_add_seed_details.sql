-- Seed details (docs/decisions.md, "Seed details"): cirkelline's memory input and metadata;
-- recency of a memory never accessed counts from its creation; Heartwood's memory_update
-- channel and audit on memories, relationships and agent states; an explicit empty tag
-- list on a message stays empty (no default: null means "not given").
-- requires: memory.tg_default_last_access memory.tg_notify_memory_update ops.tg_audit
-- requires: chat.tg_fill_message_identity

alter table memory.memories add column input text;
alter table memory.memories add column metadata jsonb not null default '{}'::jsonb
constraint memories_metadata_check check (jsonb_typeof(metadata) = 'object');
comment on column memory.memories.input is 'The words the memory was drawn from (cirkelline input: the user''s message)';
comment on column memory.memories.metadata is 'Client data as a JSON object';
alter table memory.archived_memories add column input text;
alter table memory.archived_memories add column metadata jsonb not null default '{}'::jsonb
constraint archived_memories_metadata_check check (jsonb_typeof(metadata) = 'object');
comment on column memory.archived_memories.input is 'The words the memory was drawn from';
comment on column memory.archived_memories.metadata is 'Client data as a JSON object';

alter table memory.memories alter column last_accessed_at drop default;
comment on column memory.memories.last_accessed_at is 'When retrieval last returned it (recency decays from here); created_at when inserted without one (trigger _150_default_last_access)';
create trigger _150_default_last_access before insert on memory.memories
for each row execute function memory.tg_default_last_access();

create trigger _905_notify_memory_update after insert on memory.memories
referencing new table as new_rows
for each statement execute function memory.tg_notify_memory_update();

create trigger _950_audit after insert or update or delete on memory.memories
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on agents.relationships
for each row execute function ops.tg_audit();
create trigger _950_audit after insert or update or delete on agents.agent_states
for each row execute function ops.tg_audit();

alter table chat.messages alter column tags drop default;
comment on column chat.messages.tags is 'Tags; the span''s tags when the client gives none (null), none when it gives an empty list';
