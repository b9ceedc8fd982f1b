-- Create the schema of the Tokyo-IA compatibility pack: Tokyo-IA's tables as views
-- over agentdb's (agents.agents, work.*, core.user_sessions). Clients set
-- search_path = tokyo_ia, public, so Tokyo-IA's own SQL runs verbatim.
create schema tokyo_ia;

comment on schema tokyo_ia is 'Tokyo-IA compatibility pack (agentdb compat install tokyo-ia): its tables as views over agentdb, under row-level security; clients set search_path = tokyo_ia, public';
