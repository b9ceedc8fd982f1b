-- Ownership, least privileges and row-level security for every object in the domain schemas.
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
    v_provisioning text := ops.role_name('provisioning');  -- null before migration 0021
    v_schemas text[] := array['core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops'];
    -- maintenance and DDL: the owner runs them (agentdb maintain / migrate), no one else
    v_owner_only text[] := array[
        'ops.secure_objects', 'ops.enable_tenant_rls', 'ops.ensure_time_partitions', 'ops.maintain_partitions',
        'ops.apply_retention_policy', 'ops.apply_retention',
        'knowledge.create_embedding_indexes', 'knowledge.maintain_bm25', 'ops.ensure_event_outbox'];
    v_actual_owner text;
    v_row record;
begin
    -- which role is the owner is the catalog's answer once agentdb's objects were handed
    -- over: a changed ops.roles row never redirects them to another role
    select c.relowner::regrole::text into v_actual_owner from pg_catalog.pg_class as c
     where c.oid = pg_catalog.to_regclass('ops.roles');
    if v_actual_owner not in (v_owner, current_user::text) then
        raise exception 'ops.roles names "%" as the owner role, but "%" owns agentdb''s objects: nothing handed over',
            v_owner, v_actual_owner
            using errcode = '42501', hint = 'restore the owner row of ops.roles (as the owner role)';
    end if;
    -- only what is missing or extra is changed, so a run over a secured database takes no locks
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
                or pg_catalog.has_schema_privilege('public', n.oid, 'usage')
                or pg_catalog.has_schema_privilege(v_app, n.oid, 'create')
                or pg_catalog.has_schema_privilege(v_readonly, n.oid, 'create'))
    loop
        execute pg_catalog.format('revoke all on schema %I from public, %I, %I', v_row.nspname, v_app, v_readonly);
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
    -- table privileges, by rule: select on every table and view (not on partitions, which
    -- would bypass the parent's policies); insert, update, delete for the app role only on
    -- tenant-scoped tables (row-level security); the audit log insert only; nothing else
    for v_row in
        with rels as (
            select c.oid, c.relkind, c.relispartition, c.oid::regclass::text as rel,
                   coalesce(c.relacl, pg_catalog.acldefault((case when c.relkind = 'S' then 's' else 'r' end)::"char", c.relowner))
                       as acl,
                   c.relkind in ('r', 'p') and not c.relispartition
                   and exists (select 1 from pg_catalog.pg_attribute as a
                                where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
                       as tenant_scoped,
                   -- a sequence of a tenant-scoped table (identity or serial): the app inserts with it
                   c.relkind = 'S' and exists (
                       select 1 from pg_catalog.pg_depend as d
                         join pg_catalog.pg_attribute as a on a.attrelid = d.refobjid and a.attname = 'tenant_id'
                        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i'))
                       as tenant_sequence
              from pg_catalog.pg_class as c
             where c.relnamespace::regnamespace::text = any(v_schemas) and c.relkind in ('r', 'p', 'v', 'm', 'S')
        ),
        wanted as (
            select r.oid, g.grantee, g.privilege
              from rels as r
             cross join lateral (
                 select v_app::regrole::oid as grantee, p.privilege
                   from pg_catalog.unnest(case
                       when r.relkind = 'S' then case when r.tenant_sequence then array['USAGE', 'SELECT'] end
                       when r.rel = 'ops.audit_log' then array['SELECT', 'INSERT']
                       when r.tenant_scoped then array['SELECT', 'INSERT', 'UPDATE', 'DELETE']
                       when not r.relispartition then array['SELECT'] end) as p (privilege)
                 union all
                 select v_readonly::regrole::oid, 'SELECT'
                  where r.relkind <> 'S' and not r.relispartition
             ) as g
        ),
        granted as (
            select r.oid, x.grantee, x.privilege_type as privilege
              from rels as r cross join lateral pg_catalog.aclexplode(r.acl) as x
             where x.grantee in (0, v_app::regrole::oid, v_readonly::regrole::oid)
        )
        select r.rel, r.relkind, w.grantee, w.privilege, true as grant_it
          from wanted as w join rels as r on r.oid = w.oid
         where not exists (select 1 from granted as g
                            where g.oid = w.oid and g.grantee = w.grantee and g.privilege = w.privilege)
        union all
        select r.rel, r.relkind, g.grantee, g.privilege, false
          from granted as g join rels as r on r.oid = g.oid
         where not exists (select 1 from wanted as w
                            where w.oid = g.oid and w.grantee = g.grantee and w.privilege = g.privilege)
         order by 1, 3, 4
    loop
        execute pg_catalog.format('%s %s on %s%s %s %s',
            case when v_row.grant_it then 'grant' else 'revoke' end, v_row.privilege,
            case when v_row.relkind = 'S' then 'sequence ' else 'table ' end, v_row.rel,
            case when v_row.grant_it then 'to' else 'from' end,
            case when v_row.grantee = 0 then 'public' else pg_catalog.quote_ident(v_row.grantee::regrole::text) end);
        object := v_row.rel;
        change := pg_catalog.lower(v_row.privilege) || case when v_row.grant_it then ' granted' else ' revoked' end;
        return next;
    end loop;
    -- no column-level grant widens a table's privileges
    for v_row in
        select distinct a.attrelid::regclass as rel, a.attname, x.grantee
          from pg_catalog.pg_attribute as a
          join pg_catalog.pg_class as c on c.oid = a.attrelid
         cross join lateral pg_catalog.aclexplode(a.attacl) as x
         where c.relnamespace::regnamespace::text = any(v_schemas) and a.attacl is not null
           and x.grantee in (0, v_app::regrole::oid, v_readonly::regrole::oid)
    loop
        execute pg_catalog.format('revoke all (%I) on table %s from %s', v_row.attname, v_row.rel,
            case when v_row.grantee = 0 then 'public' else pg_catalog.quote_ident(v_row.grantee::regrole::text) end);
        object := v_row.rel::text || '.' || v_row.attname; change := 'column grants revoked'; return next;
    end loop;
    -- functions: owned by the owner, never executable by PUBLIC; the app role executes every
    -- API function, the read-only role those that cannot write as someone else (security
    -- invoker ones, which run with its own rights, and non-volatile definers) and set_tenant;
    -- tenant provisioning (core.provision_*) is the provisioning role's alone
    for v_row in
        select f.fn, f.proowner, f.app_wanted, f.readonly_wanted, f.provisioning_wanted,
               pg_catalog.has_function_privilege('public', f.oid, 'execute') as public_has,
               pg_catalog.has_function_privilege(v_app, f.oid, 'execute') as app_has,
               pg_catalog.has_function_privilege(v_readonly, f.oid, 'execute') as readonly_has
          from (select p.oid, p.oid::regprocedure as fn, p.proowner,
                       not (p.pronamespace::regnamespace::text || '.' || p.proname = any(v_owner_only))
                       and not (p.pronamespace = 'core'::regnamespace and p.proname like 'provision\_%') as app_wanted,
                       not (p.pronamespace::regnamespace::text || '.' || p.proname = any(v_owner_only))
                       and not (p.pronamespace = 'core'::regnamespace and p.proname like 'provision\_%')
                       and (not p.prosecdef or p.provolatile <> 'v' or p.oid::regprocedure::text = 'ops.set_tenant(text)')
                           as readonly_wanted,
                       p.pronamespace = 'core'::regnamespace and p.proname like 'provision\_%' as provisioning_wanted
                  from pg_catalog.pg_proc as p
                 where p.pronamespace::regnamespace::text = any(v_schemas)) as f
         where f.proowner <> v_owner::regrole
            or pg_catalog.has_function_privilege('public', f.oid, 'execute')
            or pg_catalog.has_function_privilege(v_app, f.oid, 'execute') <> f.app_wanted
            or pg_catalog.has_function_privilege(v_readonly, f.oid, 'execute') <> f.readonly_wanted
            or v_provisioning is not null
               and pg_catalog.has_function_privilege(v_provisioning, f.oid, 'execute') <> f.provisioning_wanted
    loop
        if v_row.proowner <> v_owner::regrole then
            execute pg_catalog.format('alter routine %s owner to %I', v_row.fn, v_owner);
        end if;
        execute pg_catalog.format('revoke all on routine %s from public, %I, %I', v_row.fn, v_app, v_readonly);
        if v_row.app_wanted then
            execute pg_catalog.format('grant execute on routine %s to %I', v_row.fn, v_app);
        end if;
        if v_row.readonly_wanted then
            execute pg_catalog.format('grant execute on routine %s to %I', v_row.fn, v_readonly);
        end if;
        if v_provisioning is not null then
            execute pg_catalog.format('revoke all on routine %s from %I', v_row.fn, v_provisioning);
            if v_row.provisioning_wanted then
                execute pg_catalog.format('grant execute on routine %s to %I', v_row.fn, v_provisioning);
            end if;
        end if;
        object := v_row.fn::text; change := 'owner and execute'; return next;
    end loop;
    for v_row in
        select c.oid::regclass as rel
          from pg_catalog.pg_class as c
          join pg_catalog.pg_attribute as a on a.attrelid = c.oid and not a.attisdropped
               and a.attname = case when c.oid = 'core.tenants'::regclass then 'id' else 'tenant_id' end
         where c.relnamespace::regnamespace::text = any(v_schemas)
           and c.relkind in ('r', 'p') and not c.relispartition
           and (not c.relrowsecurity or not c.relforcerowsecurity
                -- (on Citus, distribute folded it with the restrictive policies: tenant_isolation_select ...)
                or not exists (select 1 from pg_catalog.pg_policy as pol
                                where pol.polrelid = c.oid
                                  and pol.polname in ('tenant_isolation', 'tenant_isolation_select')))
    loop
        perform ops.enable_tenant_rls(v_row.rel);
        object := v_row.rel::text; change := 'row-level security'; return next;
    end loop;
end;
$function$;

comment on function ops.secure_objects() is
'Idempotent, and a no-op on a secured database: every schema, table, view and function of the domain schemas owned by the owner role (refused when ops.roles names another owner than the one the catalog shows); privileges set by rule, extra ones revoked: select on tables and views for the app and read-only roles (never on partitions), insert, update, delete for the app role on tenant-scoped tables only (the audit log: insert), sequences of tenant-scoped tables to the app role, no column grants; execute for the app role on every function but maintenance ones, for the read-only role on those that cannot write with the owner''s rights, for the provisioning role on core.provision_* alone (which no other role executes), never for PUBLIC; row-level security enabled, forced and given the house policies on every tenant-scoped table. agentdb migrate runs it after every migration run, so new objects are covered without a list';
