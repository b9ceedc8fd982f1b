-- Fold a table's restrictive policies into its tenant_isolation policy, one per command
-- (agentdb distribute does it before Citus copies the policies to the shards).
-- depends: ops.role_name
create or replace function ops.fold_restrictive_policies(p_table regclass)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_using text;
    v_check text;
    v_roles text := pg_catalog.format('%I, %I', ops.role_name('app'), ops.role_name('readonly'));
    v_folded integer;
    v_cmd record;
begin
    -- Citus 14 copies a policy to the shards without AS RESTRICTIVE, so a restrictive policy
    -- there would widen access. Folded exactly: per command, the permissive policy AND every
    -- restrictive one PostgreSQL applies to that command (a WITH CHECK falls back to USING)
    select pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
      into v_using, v_check
      from pg_catalog.pg_policy as p
     where p.polrelid = p_table and p.polname = 'tenant_isolation' and p.polcmd = '*' and p.polpermissive;
    select count(*) into v_folded from pg_catalog.pg_policy as p where p.polrelid = p_table and not p.polpermissive;
    if v_folded = 0 then
        return 0;
    end if;
    if v_using is null then
        raise exception '%: restrictive policies but no tenant_isolation policy for all commands to fold them into',
            p_table using errcode = '55000';
    end if;
    if exists (select 1 from pg_catalog.pg_policy as p
                where p.polrelid = p_table and not p.polpermissive
                  and p.polroles <> (select t.polroles from pg_catalog.pg_policy as t
                                      where t.polrelid = p_table and t.polname = 'tenant_isolation')) then
        raise exception '%: a restrictive policy applies to other roles than tenant_isolation', p_table
            using errcode = '55000';
    end if;
    for v_cmd in
        select c.cmd, c.name, c.has_using, c.has_check
          from (values ('r', 'select', true, false), ('a', 'insert', false, true), ('w', 'update', true, true),
                       ('d', 'delete', true, false)) as c (cmd, name, has_using, has_check)
    loop
        execute pg_catalog.format('create policy %I on %s for %s to %s%s%s',
            'tenant_isolation_' || v_cmd.name, p_table, v_cmd.name, v_roles,
            case when v_cmd.has_using then pg_catalog.format(' using ((%s)%s)', v_using,
                (select pg_catalog.string_agg(pg_catalog.format(' and (%s)', pg_catalog.pg_get_expr(p.polqual, p.polrelid)), ''
                                              order by p.polname)
                   from pg_catalog.pg_policy as p
                  where p.polrelid = p_table and not p.polpermissive and p.polcmd in ('*', v_cmd.cmd)
                    and p.polqual is not null)) else '' end,
            case when v_cmd.has_check then pg_catalog.format(' with check ((%s)%s)', coalesce(v_check, v_using),
                (select pg_catalog.string_agg(pg_catalog.format(' and (%s)', pg_catalog.pg_get_expr(
                                                  coalesce(p.polwithcheck, p.polqual), p.polrelid)), '' order by p.polname)
                   from pg_catalog.pg_policy as p
                  where p.polrelid = p_table and not p.polpermissive and p.polcmd in ('*', v_cmd.cmd)
                    and coalesce(p.polwithcheck, p.polqual) is not null)) else '' end);
        execute pg_catalog.format('comment on policy %I on %s is %L', 'tenant_isolation_' || v_cmd.name, p_table,
            'tenant_isolation and the restrictive policies for ' || pg_catalog.upper(v_cmd.name)
            || ', folded into one permissive policy (ops.fold_restrictive_policies: Citus copies policies to the '
            || 'shards without AS RESTRICTIVE)');
    end loop;
    for v_cmd in select p.polname from pg_catalog.pg_policy as p where p.polrelid = p_table and not p.polpermissive loop
        execute pg_catalog.format('drop policy %I on %s', v_cmd.polname, p_table);
    end loop;
    execute pg_catalog.format('drop policy tenant_isolation on %s', p_table);
    return v_folded;
end;
$function$;

comment on function ops.fold_restrictive_policies(regclass) is
'Replaces p_table''s tenant_isolation policy (all commands) and its restrictive policies (user_isolation, conversations_private, agents_hidden) with four permissive policies, tenant_isolation_select/insert/update/delete, each the AND of tenant_isolation and the restrictive policies PostgreSQL applies to that command: the same rows visible and writable. Returns how many restrictive policies it folded (0: nothing to do). Run by agentdb distribute before the table is distributed, since Citus 14 copies policies to the shards without AS RESTRICTIVE';
