-- Remove pgvector; fails while any column still uses its types, which is what we want.
drop extension if exists vector;
