-- Set the tenant for the rest of this transaction only (safe behind a pooler).
create or replace function ops.set_tenant(p_tenant text)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    -- security definer: the tenant directory is readable only by its owner; this reveals
    -- nothing but the id of the tenant the caller names
    select t.id into v_id
      from core.tenants as t
     where t.archived_at is null
       and (t.slug = pg_catalog.lower(pg_catalog.btrim(p_tenant))
            or t.external_id = pg_catalog.btrim(p_tenant)
            or t.id = case when p_tenant ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p_tenant::uuid end)
     limit 1;
    if v_id is null then
        raise exception 'no tenant "%"', p_tenant using errcode = 'P0002';
    end if;
    -- SET LOCAL, not set_config(): Citus (citus.propagate_set_commands = local) sends a SET LOCAL
    -- to every worker the transaction reaches, where row-level security is evaluated
    execute pg_catalog.format('set local agentdb.tenant_id = %L', v_id);
    return v_id;
end;
$function$;

comment on function ops.set_tenant(text) is
'Makes p_tenant (slug, id or external id) the tenant of the current transaction only (set_config(..., true)): row-level security filters every tenant-scoped table to it, and the setting is gone at commit or rollback, so a pooled connection carries no tenant to its next client. Security definer (with an empty search_path): it reads the tenant directory for the caller. Raises P0002 for an unknown tenant';
