-- Turn on row-level security for one tenant-scoped table, with the house policies.
-- depends: ops.role_name
create or replace function ops.enable_tenant_rls(p_table regclass)
returns void
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_owner text := ops.role_name('owner');
    v_app text := ops.role_name('app');
    v_readonly text := ops.role_name('readonly');
    v_key text := case when p_table = 'core.tenants'::regclass then 'id' else 'tenant_id' end;
begin
    execute pg_catalog.format('alter table %s enable row level security', p_table);
    execute pg_catalog.format('alter table %s force row level security', p_table);
    execute pg_catalog.format('drop policy if exists tenant_isolation on %s', p_table);
    execute pg_catalog.format('drop policy if exists owner_all on %s', p_table);
    execute pg_catalog.format(
        'create policy tenant_isolation on %s to %I, %I using (%I = ops.current_tenant_id()) '
        'with check (%I = ops.require_tenant_id())', p_table, v_app, v_readonly, v_key, v_key);
    execute pg_catalog.format('create policy owner_all on %s to %I using (true) with check (true)', p_table, v_owner);
    execute pg_catalog.format('comment on policy tenant_isolation on %s is %L', p_table,
        'Rows of the transaction''s tenant only (ops.set_tenant); writing without a tenant fails');
    execute pg_catalog.format('comment on policy owner_all on %s is %L', p_table,
        'The owner role (migrations, security definer functions) sees every row');
end;
$function$;

comment on function ops.enable_tenant_rls(regclass) is
'Enables and forces row-level security on a tenant-scoped table with the house policies: tenant_isolation for the app and read-only roles (tenant_id = ops.current_tenant_id(), writes checked by ops.require_tenant_id()) and owner_all for the owner. Migrations that add a tenant-scoped table call it';
