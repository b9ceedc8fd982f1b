-- Undo 0004_create_core_tables.
drop table core.characters;
drop table core.projects;
drop table core.user_sessions;
drop table core.users;
drop table core.tenants;
