-- Undo 0008_create_work_tables.
-- cascade also drops the repeatable functions and views that read these tables (agentdb
-- status shows them as missing); the next agentdb migrate re-creates them.
drop table work.metrics cascade;
drop table work.interactions cascade;
drop table work.tasks cascade;
drop table work.workflows cascade;
