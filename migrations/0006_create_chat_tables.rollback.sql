-- Undo 0006_create_chat_tables (partitions go with their table).
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop table chat.message_files cascade;
drop table chat.files cascade;
drop table chat.messages cascade;
drop table chat.context_spans cascade;
drop table chat.conversations cascade;
