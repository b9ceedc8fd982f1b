-- Add a provider's identity to an existing organization (a membership webhook).
-- depends: core.provision_member
create or replace function core.provision_membership(
    p_organization_external_id text,
    p_user_external_id text,
    p_user_email text default null,
    p_user_display_name text default null,
    p_is_admin boolean default false,
    p_provider text default 'clerk'
)
returns table (tenant_id uuid, user_id uuid, identity_id uuid, created boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $function$
#variable_conflict use_column
declare
    v_tenant uuid;
    v_member record;
begin
    -- security definer: writes a tenant's users and the global identities for a service
    -- that has no tenant; executable by the provisioning role only; audited by the triggers
    if p_provider is null or p_provider !~ '^[a-z][a-z0-9_-]{0,31}$' then
        raise exception 'provider must be a lowercase name like clerk, not "%"', p_provider using errcode = '22023';
    end if;
    select t.id into v_tenant
      from core.tenants as t
     where t.external_id = pg_catalog.btrim(p_organization_external_id) and t.archived_at is null;
    if v_tenant is null then
        raise exception 'no organization with external id "%"', p_organization_external_id
            using errcode = 'P0002', hint = 'create it first with core.provision_organization';
    end if;
    select * into v_member
      from core.provision_member(v_tenant, p_provider, p_user_external_id, p_user_email, p_user_display_name,
                                 p_is_admin);
    return query select v_tenant, v_member.user_id, v_member.identity_id, v_member.created;
end;
$function$;

comment on function core.provision_membership(text, text, text, text, boolean, text) is
'For the provisioning role (AJ: Clerk organizationMembership.created): makes the person with the provider''s user id p_user_external_id a member of the organization with external id p_organization_external_id: their one identity (core.identities), and a core.users row in that tenant (made once; created is false on a retry). Security definer, executable by the provisioning role only; P0002 for an unknown organization; audited';
