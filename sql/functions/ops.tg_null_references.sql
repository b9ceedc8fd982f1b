-- Trigger function: ON DELETE SET NULL (column) for a foreign key Citus cannot keep.
create or replace function ops.tg_null_references()
returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
    -- tg_argv: referencing table, its column, the referenced column; the tenant is the deleted row's
    execute pg_catalog.format('update %s set %I = null where tenant_id = $1 and %I = $2',
                              tg_argv[0]::regclass, tg_argv[1], tg_argv[1])
      using old.tenant_id, (pg_catalog.to_jsonb(old) ->> tg_argv[2])::uuid;
    return old;
end;
$function$;

comment on function ops.tg_null_references() is
'BEFORE DELETE FOR EACH ROW trigger function (_050_null_<constraint>, made by agentdb distribute on a Citus cluster): does what ON DELETE SET NULL (column) did for a tenant-scoped foreign key, which Citus refuses when the key holds the distribution column; TG_ARGV: referencing table, its column, the referenced column. The rows it clears are the deleted row''s tenant''s, so on Citus they are on the same node. Security definer so rows hidden from the deleting role by a restrictive policy are cleared too, as the foreign key action would';
