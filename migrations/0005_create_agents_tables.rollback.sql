-- Undo 0005_create_agents_tables.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop table agents.plans cascade;
drop table agents.schedules cascade;
drop table agents.relationships cascade;
drop table agents.agent_states cascade;
drop table agents.quick_tasks cascade;
drop table agents.knowledge_sources cascade;
drop table agents.agent_grants cascade;
drop table agents.agents cascade;
