-- Remove the Heartwood Valley compatibility pack: its views and functions only, never data.
drop schema heartwood cascade;
