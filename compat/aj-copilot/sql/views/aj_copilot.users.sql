-- AJ Copilot users: core.users under AJ's name; a write passes through to core.users (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.users
with (security_invoker = true)
as
select
    u.id,
    u.tenant_id as organization_id,
    u.external_id as clerk_user_id,
    u.email,
    u.display_name,
    u.role,
    u.is_active,
    u.is_admin,
    u.created_at,
    u.updated_at,
    u.archived_at
from core.users as u;

comment on view aj_copilot.users is 'Users of an organization (core.users): the Clerk user id is external_id; updatable: a write passes through to core.users';
comment on column aj_copilot.users.id is 'core.users.id';
comment on column aj_copilot.users.organization_id is 'core.users.tenant_id';
comment on column aj_copilot.users.clerk_user_id is 'core.users.external_id';
comment on column aj_copilot.users.email is 'core.users.email';
comment on column aj_copilot.users.display_name is 'core.users.display_name';
comment on column aj_copilot.users.role is 'core.users.role';
comment on column aj_copilot.users.is_active is 'core.users.is_active';
comment on column aj_copilot.users.is_admin is 'core.users.is_admin';
comment on column aj_copilot.users.created_at is 'core.users.created_at';
comment on column aj_copilot.users.updated_at is 'core.users.updated_at';
comment on column aj_copilot.users.archived_at is 'core.users.archived_at';
