-- Create an organization and its first user from an identity provider's ids (a webhook).
-- depends: core.provision_member
create or replace function core.provision_organization(
    p_external_id text,
    p_name text,
    p_user_external_id text,
    p_user_email text default null,
    p_user_display_name text default null,
    p_slug text default null,
    p_provider text default 'clerk'
)
returns table (tenant_id uuid, tenant_slug text, user_id uuid, identity_id uuid, created boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $function$
#variable_conflict use_column
declare
    v_external text := pg_catalog.btrim(p_external_id);
    v_name text := pg_catalog.btrim(p_name);
    v_base text;
    v_slug text;
    v_tenant uuid;
    v_created boolean := false;
    v_try integer := 1;
    v_member record;
begin
    -- security definer: creates a tenant (which no tenant's role may do) and its first user;
    -- executable by the provisioning role only; audited by the triggers on every table it writes
    if coalesce(v_external, '') = '' or coalesce(v_name, '') = '' then
        raise exception 'an organization needs its external id and a name' using errcode = '22023';
    end if;
    if p_provider is null or p_provider !~ '^[a-z][a-z0-9_-]{0,31}$' then
        raise exception 'provider must be a lowercase name like clerk, not "%"', p_provider using errcode = '22023';
    end if;
    if p_slug is not null and p_slug !~ '^[a-z0-9][a-z0-9_-]{0,62}$' then
        raise exception 'slug "%" is not lowercase letters, digits, _ and -', p_slug using errcode = '22023';
    end if;
    select t.id, t.slug into v_tenant, v_slug from core.tenants as t where t.external_id = v_external;
    if v_tenant is null then
        v_base := coalesce(p_slug, nullif(pg_catalog.left(pg_catalog.btrim(pg_catalog.regexp_replace(
            pg_catalog.lower(v_name), '[^a-z0-9]+', '-', 'g'), '-'), 48), ''), 'org');
        loop
            v_slug := case when v_try = 1 then v_base else v_base || '-' || v_try end;
            -- webhooks are retried and may race: a clash on the external id or the slug inserts nothing
            insert into core.tenants as t (slug, name, kind, external_id)
            values (v_slug, v_name, 'organization', v_external)
            on conflict do nothing
            returning t.id into v_tenant;
            exit when v_tenant is not null;
            select t.id, t.slug into v_tenant, v_slug from core.tenants as t where t.external_id = v_external;
            exit when v_tenant is not null;
            if p_slug is not null then
                raise exception 'slug "%" is taken by another organization', p_slug using errcode = '23505';
            end if;
            v_try := v_try + 1;
        end loop;
        v_created := not exists (select 1 from core.users as u where u.tenant_id = v_tenant);
    end if;
    select * into v_member
      from core.provision_member(v_tenant, p_provider, p_user_external_id, p_user_email, p_user_display_name, true);
    return query select v_tenant, v_slug, v_member.user_id, v_member.identity_id, v_created or v_member.created;
end;
$function$;

comment on function core.provision_organization(text, text, text, text, text, text, text) is
'For the provisioning role (a webhook service; AJ: Clerk organization.created): creates the organization with external id p_external_id and name p_name (slug p_slug, or one derived from the name with a numeric suffix when taken) and its first user, an admin, from the provider''s user id, email and name, with their identity (core.identities). Idempotent: a retried call returns the same rows with created false. Security definer, executable by the provisioning role only; raises 22023 for missing or malformed input; audited (_950_audit on tenants, users, identities)';
