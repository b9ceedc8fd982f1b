-- Undo 0006_create_chat_tables (partitions go with their table).
drop table chat.message_files;
drop table chat.files;
drop table chat.messages;
drop table chat.context_spans;
drop table chat.conversations;
