-- Create the schema of the cirkelline compatibility pack: its `ai` tables as views over
-- agentdb's (chat.conversations, memory.*, knowledge.*, work.workflows), and the number
-- source for agno_knowledge ids. Clients set search_path = ai, public (for the pack's
-- uuid_generate_v4()); every cirkelline statement names the ai schema itself.
create schema ai;

comment on schema ai is 'cirkelline compatibility pack (agentdb compat install cirkelline): Agno''s ai tables as views over agentdb, under row-level security';

create sequence ai.agno_knowledge_id_seq as integer;

comment on sequence ai.agno_knowledge_id_seq is 'Numbers for ai.agno_knowledge.id (cirkelline''s serial document ids), kept in knowledge.documents.metadata ->> ''agno_knowledge_id''';
