-- Remove the Tokyo-IA compatibility pack: its views and functions only, never data.
drop schema tokyo_ia cascade;
