-- Set the tenant for the rest of this transaction only (safe behind a pooler).
-- depends: ops.transaction_identity ops.role_name
create or replace function ops.set_tenant(p_tenant text)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $function$
declare
    v_id uuid;
    v_logins jsonb;
    v_isolated boolean;
begin
    -- security definer: the tenant directory is readable only by its owner; this reveals
    -- nothing but the id of the tenant the caller names
    select t.id, t.settings -> 'logins', coalesce(t.settings @> '{"user_isolation": true}', false)
      into v_id, v_logins, v_isolated
      from core.tenants as t
     where t.archived_at is null
       and t.id <> '00000000-0000-0000-0000-000000000000'
       and (t.slug = pg_catalog.lower(pg_catalog.btrim(p_tenant))
            or t.external_id = pg_catalog.btrim(p_tenant)
            or t.id = case when p_tenant ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p_tenant::uuid end)
     limit 1;
    if v_id is null then
        raise exception 'no tenant "%"', p_tenant using errcode = 'P0002';
    end if;
    -- a tenant that lists its logins (settings.logins) is served by those logins only
    if pg_catalog.jsonb_typeof(v_logins) = 'array' and not v_logins ? session_user::text
       and not pg_catalog.pg_has_role(session_user, ops.role_name('owner'), 'member') then
        raise exception 'login "%" may not act for tenant "%"', session_user, p_tenant
            using errcode = '42501', hint = 'the tenant''s settings.logins lists the logins that serve it';
    end if;
    -- SET LOCAL (not set_config): Citus (citus.propagate_set_commands = local) sends it to the workers
    -- the third part records whether the tenant isolates its users (ops.user_isolated), so
    -- row-level security reads no table
    execute pg_catalog.format('set local agentdb.tenant_id = %L', v_id::text || '/' || ops.transaction_identity()
                              || case when v_isolated then '/isolated' else '/shared' end);
    return v_id;
end;
$function$;

comment on function ops.set_tenant(text) is
'Makes p_tenant (slug, id or external id) the tenant of the current transaction only (SET LOCAL, bound to the transaction by ops.transaction_identity, sent to Citus workers with the transaction, and recording whether the tenant isolates its users for ops.user_isolated): row-level security filters every tenant-scoped table to it, and the setting counts in no other transaction, so a pooled connection carries no tenant to its next client. Security definer (with an empty search_path): it reads the tenant directory for the caller. Raises P0002 for an unknown tenant, 42501 when the tenant''s settings.logins does not list the session''s login';
