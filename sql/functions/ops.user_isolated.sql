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
    -- ops.set_tenant records the tenant's settings.user_isolation in the tenant setting
    -- ("<id>/<identity>/shared" when it does not isolate), so row-level security reads no
    -- table (Citus evaluates policies on the shards, where they may not query other tables);
    -- a tenant set any other way is isolated
    select ops.current_tenant_id() is not null
           and pg_catalog.split_part(pg_catalog.current_setting('agentdb.tenant_id', true), '/', 3) <> 'shared';
end;
comment on function ops.user_isolated() is
'True when the transaction''s tenant isolates its users (settings.user_isolation = true, recorded by ops.set_tenant in the tenant setting: "<id>/<identity>/shared" when it does not): the user_isolation policies then show rows that belong to a user only to that user (ops.set_app_user), and rows shared on purpose to everyone of the tenant. Reads no table, so Citus can evaluate it on the shards; a tenant setting made without ops.set_tenant counts as isolated';
