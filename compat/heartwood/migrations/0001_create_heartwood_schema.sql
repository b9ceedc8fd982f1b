-- Create the schema of the Heartwood Valley compatibility pack: its tables as views over
-- agentdb's (core.users, core.characters, agents.*, memory.memories, chat.messages).
-- Clients set search_path = heartwood, pg_catalog, public: pg_catalog after heartwood, so
-- the pack's pg_stat_user_tables and pg_stat_user_indexes (with the tablename and
-- indexname columns the document's monitoring queries read) come first.
create schema heartwood;

comment on schema heartwood is 'Heartwood Valley compatibility pack (agentdb compat install heartwood): its tables as views over agentdb, under row-level security; clients set search_path = heartwood, pg_catalog, public';
