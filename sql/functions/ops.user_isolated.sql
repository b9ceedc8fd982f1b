-- Whether the transaction's tenant isolates its users from each other.
-- depends: ops.current_tenant_id
create or replace function ops.user_isolated()
returns boolean
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    select coalesce((select t.settings @> '{"user_isolation": true}' from core.tenants as t
                      where t.id = ops.current_tenant_id()), false);
end;

comment on function ops.user_isolated() is
'True when the transaction''s tenant has settings.user_isolation = true: the user_isolation policies then show rows that belong to a user only to that user (ops.set_app_user), and rows shared on purpose to everyone of the tenant. The app role cannot change core.tenants, so it cannot switch this off';
