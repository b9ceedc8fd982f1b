-- Create the schema of the ikigai compatibility pack: its tables as views over agentdb's
-- (agents.agents, chat.messages, memory.documents, chat.context_spans), and the number
-- source for ikigai's integer agent ids. Clients set search_path = ikigai, public.
create schema ikigai;

comment on schema ikigai is 'ikigai compatibility pack (agentdb compat install ikigai): its tables as views over agentdb, under row-level security; clients set search_path = ikigai, public';

create sequence ikigai.agents_id_seq;

comment on sequence ikigai.agents_id_seq is 'Numbers for ikigai.agents.id (ikigai''s bigserial agent ids), kept in agents.agents.metadata ->> ''ikigai_id''';
