-- Remove the ikigai compatibility pack: its views, functions and sequence only, never data.
drop schema ikigai cascade;
