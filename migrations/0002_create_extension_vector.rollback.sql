-- Remove pgvector. By now every later migration is rolled back, so only repeatable
-- functions with vector parameters still use it: cascade drops them (agentdb status shows
-- them as missing; the next agentdb migrate re-creates them).
drop extension if exists vector cascade;
