-- Create the domain schemas that every later migration puts its objects in.
create schema if not exists core;
create schema if not exists agents;
create schema if not exists chat;
create schema if not exists memory;
create schema if not exists knowledge;
create schema if not exists work;
create schema if not exists ops;

comment on schema core is 'Tenants, users, user sessions, projects and characters';
comment on schema agents is 'Agents and what belongs to one: grants, knowledge sources, quick tasks, state, relationships, schedules, plans';
comment on schema chat is 'Conversations, context spans, messages (partitioned by time), files';
comment on schema memory is 'The shared wiki of memory documents with their versions, and the memory stream';
comment on schema knowledge is 'Embedding models, knowledge documents and their chunks for retrieval';
comment on schema work is 'Workflows, tasks (a work queue), interactions between agents, metrics';
comment on schema ops is 'Helpers for every schema: ids, triggers, partitions, retention, events, audit';
