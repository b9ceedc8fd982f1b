-- The schemas that hold agentdb's domain objects: the one list every check, document
-- and tool reads (verify, docs, maintain, the catalog queries).
create or replace function ops.domain_schemas()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
    select array['core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops']::text[]
$$;

comment on function ops.domain_schemas() is
'The schemas holding agentdb''s domain objects (core, agents, chat, memory, knowledge, work, ops): the one list verify, docs, maintain and the catalog queries read';
