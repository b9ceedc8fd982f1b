-- Ownership, privileges and row-level security for every object in the domain schemas.
-- depends: ops.enable_tenant_rls ops.role_name
create or replace function ops.secure_objects()
returns table (object text, change text)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_owner text := ops.role_name('owner');
    v_app text := ops.role_name('app');
    v_readonly text := ops.role_name('readonly');
    v_provisioning text := ops.role_name('provisioning');
    v_schemas text[] := array['core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops'];
    v_row record;
begin
    -- only what is missing is changed, so a run over a secured database takes no locks
    for v_row in
        select n.nspname from pg_catalog.pg_namespace as n
         where n.nspname = any(v_schemas) and n.nspowner <> v_owner::regrole
    loop
        execute pg_catalog.format('alter schema %I owner to %I', v_row.nspname, v_owner);
        object := v_row.nspname; change := 'owner'; return next;
    end loop;
    for v_row in
        select n.nspname from pg_catalog.pg_namespace as n
         where n.nspname = any(v_schemas)
           and (not pg_catalog.has_schema_privilege(v_app, n.oid, 'usage')
                or pg_catalog.has_schema_privilege('public', n.oid, 'usage'))
    loop
        execute pg_catalog.format('revoke all on schema %I from public', v_row.nspname);
        execute pg_catalog.format('grant usage on schema %I to %I, %I', v_row.nspname, v_app, v_readonly);
        object := v_row.nspname; change := 'schema usage'; return next;
    end loop;
    for v_row in
        select c.oid::regclass as rel, c.relkind
          from pg_catalog.pg_class as c
         where c.relnamespace::regnamespace::text = any(v_schemas)
           and c.relkind in ('r', 'p', 'v', 'm')
           and c.relowner <> v_owner::regrole
    loop
        execute pg_catalog.format('alter %s %s owner to %I',
            case when v_row.relkind in ('v', 'm') then 'view' else 'table' end, v_row.rel, v_owner);
        object := v_row.rel::text; change := 'owner'; return next;
    end loop;
    for v_row in
        select c.oid::regclass as rel
          from pg_catalog.pg_class as c
         where c.relnamespace::regnamespace::text = any(v_schemas)
           and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition
           and (not pg_catalog.has_table_privilege(v_readonly, c.oid, 'select')
                or (c.relkind in ('r', 'p') and not pg_catalog.has_table_privilege(v_app, c.oid, 'insert')))
    loop
        execute pg_catalog.format('grant select on %s to %I, %I', v_row.rel, v_app, v_readonly);
        if v_row.rel::text not in ('ops.audit_log', 'ops.partition_policies', 'ops.retention_policies') then
            execute pg_catalog.format('grant insert, update, delete on %s to %I', v_row.rel, v_app);
        end if;
        object := v_row.rel::text; change := 'grants'; return next;
    end loop;
    for v_row in
        select c.oid::regclass as rel
          from pg_catalog.pg_class as c
         where c.relnamespace::regnamespace::text = any(v_schemas) and c.relkind = 'S'
           and case when c.relkind = 'S' then not pg_catalog.has_sequence_privilege(v_app, c.oid, 'usage') end
    loop
        execute pg_catalog.format('grant usage, select on sequence %s to %I', v_row.rel, v_app);
        object := v_row.rel::text; change := 'grants'; return next;
    end loop;
    for v_row in
        select p.oid::regprocedure as fn, p.prokind, p.proowner
          from pg_catalog.pg_proc as p
         where p.pronamespace::regnamespace::text = any(v_schemas)
           and not (p.pronamespace = 'core'::regnamespace and p.proname like 'provision\_%')
           and (p.proowner <> v_owner::regrole
                or pg_catalog.has_function_privilege('public', p.oid, 'execute')
                or not pg_catalog.has_function_privilege(v_readonly, p.oid, 'execute'))
    loop
        if v_row.proowner <> v_owner::regrole then
            execute pg_catalog.format('alter routine %s owner to %I', v_row.fn, v_owner);
        end if;
        execute pg_catalog.format('revoke all on routine %s from public', v_row.fn);
        execute pg_catalog.format('grant execute on routine %s to %I, %I', v_row.fn, v_app, v_readonly);
        object := v_row.fn::text; change := 'owner and execute'; return next;
    end loop;
    -- core.provision_* (tenant provisioning) are executable by the provisioning role alone
    for v_row in
        select p.oid::regprocedure as fn, p.proowner
          from pg_catalog.pg_proc as p
         where p.pronamespace = 'core'::regnamespace and p.proname like 'provision\_%'
           and (p.proowner <> v_owner::regrole
                or pg_catalog.has_function_privilege('public', p.oid, 'execute')
                or pg_catalog.has_function_privilege(v_app, p.oid, 'execute')
                or pg_catalog.has_function_privilege(v_readonly, p.oid, 'execute')
                or v_provisioning is not null and not pg_catalog.has_function_privilege(v_provisioning, p.oid, 'execute'))
    loop
        if v_row.proowner <> v_owner::regrole then
            execute pg_catalog.format('alter routine %s owner to %I', v_row.fn, v_owner);
        end if;
        execute pg_catalog.format('revoke all on routine %s from public, %I, %I', v_row.fn, v_app, v_readonly);
        if v_provisioning is not null then
            execute pg_catalog.format('grant execute on routine %s to %I', v_row.fn, v_provisioning);
        end if;
        object := v_row.fn::text; change := 'owner and execute (provisioning)'; return next;
    end loop;
    for v_row in
        select c.oid::regclass as rel
          from pg_catalog.pg_class as c
          join pg_catalog.pg_attribute as a on a.attrelid = c.oid and not a.attisdropped
               and a.attname = case when c.oid = 'core.tenants'::regclass then 'id' else 'tenant_id' end
         where c.relnamespace::regnamespace::text = any(v_schemas)
           and c.relkind in ('r', 'p') and not c.relispartition
           and (not c.relrowsecurity or not c.relforcerowsecurity
                or not exists (select 1 from pg_catalog.pg_policy as pol
                                where pol.polrelid = c.oid and pol.polname = 'tenant_isolation'))
    loop
        perform ops.enable_tenant_rls(v_row.rel);
        object := v_row.rel::text; change := 'row-level security'; return next;
    end loop;
end;
$function$;

comment on function ops.secure_objects() is
'Idempotent, and a no-op on a secured database: every schema, table, view and function of the domain schemas owned by the owner role; usage, select (and for the app role insert, update, delete) granted; execute granted to the app and read-only roles and revoked from PUBLIC (core.provision_* to the provisioning role alone); row-level security enabled, forced and given the house policies on every tenant-scoped table (one with tenant_id). agentdb migrate runs it after every migration run, so new objects are covered without a list';
