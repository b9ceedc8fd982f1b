-- AJ Copilot organizations: core.tenants under AJ's name; a write passes through to core.tenants (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.organizations
with (security_invoker = true)
as
select
    t.id,
    t.external_id as clerk_organization_id,
    t.slug,
    t.name,
    t.settings,
    t.created_at,
    t.updated_at,
    t.archived_at
from core.tenants as t;

comment on view aj_copilot.organizations is 'Organizations (core.tenants): the Clerk organization id is external_id; updatable: a write passes through to core.tenants';
comment on column aj_copilot.organizations.id is 'core.tenants.id';
comment on column aj_copilot.organizations.clerk_organization_id is 'core.tenants.external_id';
comment on column aj_copilot.organizations.slug is 'core.tenants.slug';
comment on column aj_copilot.organizations.name is 'core.tenants.name';
comment on column aj_copilot.organizations.settings is 'core.tenants.settings';
comment on column aj_copilot.organizations.created_at is 'core.tenants.created_at';
comment on column aj_copilot.organizations.updated_at is 'core.tenants.updated_at';
comment on column aj_copilot.organizations.archived_at is 'core.tenants.archived_at';
