-- description: Every security definer function pins its search_path, so a caller cannot hijack the names it uses.
-- severity: error
-- fix: add set search_path = '' to the function and qualify every name in it
select p.oid::regprocedure::text as function
from pg_catalog.pg_proc as p
where
    p.pronamespace::regnamespace::text = any(:schemas)
    and p.prosecdef
    and not exists (select 1 from unnest(p.proconfig) as setting where setting like 'search_path=%')
order by 1
