-- Remove the AJ Copilot compatibility pack: its views only, never data.
drop schema aj_copilot cascade;
