-- Drop the domain schemas; cascade also removes the repeatable functions and views in them.
drop schema if exists ops cascade;
drop schema if exists work cascade;
drop schema if exists knowledge cascade;
drop schema if exists memory cascade;
drop schema if exists chat cascade;
drop schema if exists agents cascade;
drop schema if exists core cascade;
