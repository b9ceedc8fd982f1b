-- Create the schema of the AJ Copilot compatibility pack: its tables, named as in its
-- design summary, as views over agentdb's. Clients set search_path = aj_copilot, public.
create schema aj_copilot;

comment on schema aj_copilot is 'AJ Copilot compatibility pack (agentdb compat install aj-copilot): its tables as views over agentdb, under row-level security; clients set search_path = aj_copilot, public';
