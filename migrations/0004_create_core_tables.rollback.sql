-- Undo 0004_create_core_tables.
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop table core.characters cascade;
drop table core.projects cascade;
drop table core.user_sessions cascade;
drop table core.users cascade;
drop table core.tenants cascade;
