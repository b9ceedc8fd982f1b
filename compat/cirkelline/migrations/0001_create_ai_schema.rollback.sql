-- Remove the cirkelline compatibility pack: its views, functions and sequence only, never data.
drop schema ai cascade;
