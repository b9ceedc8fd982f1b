-- Find a tenant by slug, id or external id; fail with a clear message when there is none.
create or replace function core.resolve_tenant(p_tenant text)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    select t.id into v_id
      from core.tenants as t
     where t.slug = pg_catalog.lower(pg_catalog.btrim(p_tenant))
        or t.external_id = pg_catalog.btrim(p_tenant)
        or t.id = case when p_tenant ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then p_tenant::uuid end
     order by (t.slug = pg_catalog.lower(pg_catalog.btrim(p_tenant))) desc
     limit 1;
    if v_id is null then
        raise exception 'no tenant "%"', p_tenant
            using errcode = 'P0002', hint = 'give a tenant slug, id or external id (see core.tenants)';
    end if;
    return v_id;
end;
$function$;

comment on function core.resolve_tenant(text) is
'The id of the tenant whose slug, id or external id is p_tenant; raises P0002 "no tenant" otherwise';
