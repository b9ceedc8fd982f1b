-- Undo 0010_create_events_and_policies.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop table ops.retention_policies cascade;
drop table ops.partition_policies cascade;
drop trigger _900_notify_update on chat.context_spans;
drop trigger _900_notify_insert on chat.context_spans;
drop trigger _900_notify_update on work.workflows;
drop trigger _900_notify_insert on work.workflows;
drop trigger _900_notify_update on work.tasks;
drop trigger _900_notify_insert on work.tasks;
drop trigger _900_notify_delete on memory.documents;
drop trigger _900_notify_update on memory.documents;
drop trigger _900_notify_insert on memory.documents;
drop trigger _900_notify_insert on memory.memories;
drop trigger _900_notify_insert on chat.messages;
