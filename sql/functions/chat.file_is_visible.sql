-- Whether the current transaction may see one file row (its own row-level security decides):
-- the user_isolation policies of the rows that belong to it ask this.
-- depends: ops.current_tenant_id ops.local_relation
create or replace function chat.file_is_visible(p_tenant_id uuid, p_id uuid)
returns boolean
language plpgsql
stable
parallel safe
security invoker
set search_path = ''
as $function$
declare
    v_parent regclass;
    v_seen boolean;
begin
    -- only rows of the transaction's tenant are looked up (a policy may be evaluated on other
    -- tenants' rows before the tenant filter)
    if p_tenant_id is distinct from ops.current_tenant_id() then
        return false;
    end if;
    v_parent := ops.local_relation('chat.files', p_tenant_id);
    if v_parent = 'chat.files'::regclass then
        return exists (select 1 from chat.files as p where p.tenant_id = p_tenant_id and p.id = p_id);
    end if;
    -- on a Citus worker: the parent's shard beside this one, read as a plain table (its own
    -- policies apply), never a distributed query from within a shard
    execute pg_catalog.format('select exists (select 1 from %s as p where p.tenant_id = $1 and p.id = $2)', v_parent)
       into v_seen using p_tenant_id, p_id;
    return v_seen;
end;
$function$;

comment on function chat.file_is_visible(uuid, uuid) is
'True when the current transaction sees chat.files row p_id of tenant p_tenant_id under that table''s own row-level security: rows that belong to it (its message links) are visible only with it in tenants that isolate users (user_isolation policies, migration 0043). A function rather than a subquery in the policy, which Citus refuses; on a Citus worker it reads the tenant''s shard of the parent table on this node (ops.local_relation: colocated), as a plain local query';
