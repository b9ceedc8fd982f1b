-- The membership (core.users row) of a provider's identity in a tenant, made when missing.
create or replace function core.provision_member(
    p_tenant_id uuid,
    p_provider text,
    p_user_external_id text,
    p_email text default null,
    p_display_name text default null,
    p_is_admin boolean default false
)
returns table (user_id uuid, identity_id uuid, created boolean)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
#variable_conflict use_column
declare
    v_identity uuid;
    v_user uuid;
    v_email text := nullif(pg_catalog.btrim(p_email), '');
begin
    -- security invoker: it has the privileges of core.provision_organization and
    -- core.provision_membership, which call it as the owner; nobody else may write identities
    if coalesce(pg_catalog.btrim(p_user_external_id), '') = '' then
        raise exception 'the user''s external id is missing' using errcode = '22023';
    end if;
    insert into core.identities as i (provider, external_id, email, display_name)
    values (p_provider, pg_catalog.btrim(p_user_external_id), v_email, p_display_name)
    on conflict on constraint identities_provider_external_id_key do update
       set email = coalesce(excluded.email, i.email), display_name = coalesce(excluded.display_name, i.display_name)
    returning i.id into v_identity;
    -- an existing user of the tenant with this identity or external id is the membership
    select u.id into v_user
      from core.users as u
     where u.tenant_id = p_tenant_id
       and (u.identity_id = v_identity or u.external_id = pg_catalog.btrim(p_user_external_id))
     order by (u.identity_id = v_identity) desc nulls last
     limit 1;
    if v_user is not null then
        update core.users as u set identity_id = v_identity
         where u.tenant_id = p_tenant_id and u.id = v_user and u.identity_id is distinct from v_identity;
        return query select v_user, v_identity, false;
        return;
    end if;
    insert into core.users as u (tenant_id, external_id, email, display_name, is_admin, identity_id)
    values (p_tenant_id, pg_catalog.btrim(p_user_external_id), v_email, p_display_name, coalesce(p_is_admin, false),
            v_identity)
    returning u.id into v_user;
    return query select v_user, v_identity, true;
end;
$function$;

comment on function core.provision_member(uuid, text, text, text, text, boolean) is
'Used by core.provision_organization and core.provision_membership: the identity (core.identities) of p_user_external_id at p_provider, made or updated (email, name), and its membership of tenant p_tenant_id (a core.users row with identity_id; an existing user of that external id is linked rather than duplicated); created is true when the user row is new. Security invoker: only the provisioning functions, running as the owner, can write identities';
