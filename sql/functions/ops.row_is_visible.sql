-- Whether the current transaction may see one row of a parent table (its own row-level
-- security decides): the user_isolation policies of the rows that belong to it ask this.
-- depends: ops.current_tenant_id ops.local_relation
create or replace function ops.row_is_visible(p_table regclass, p_tenant_id uuid, p_id uuid)
returns boolean
language plpgsql
stable
parallel safe
security invoker
set search_path = ''
as $function$
declare
    v_seen boolean;
begin
    -- only rows of the transaction's tenant are looked up (a policy may be evaluated on other
    -- tenants' rows before the tenant filter)
    if p_tenant_id is distinct from ops.current_tenant_id() then
        return false;
    end if;
    -- on a Citus worker the parent's shard beside this one (colocated), read as a plain table
    -- under its own policies: never a distributed query from within a shard
    execute pg_catalog.format('select exists (select 1 from %s as p where p.tenant_id = $1 and p.id = $2)',
                              ops.local_relation(p_table, p_tenant_id))
       into v_seen using p_tenant_id, p_id;
    return v_seen;
end;
$function$;

comment on function ops.row_is_visible(regclass, uuid, uuid) is
'True when the current transaction sees row p_id of tenant p_tenant_id in p_table (a parent: a conversation, a file, a document) under that table''s own row-level security: the rows that belong to it (messages, spans, files, message links, chunks, versions) are visible only with it in tenants that isolate users (user_isolation policies, migration 0043). A function rather than a subquery in the policy, which Citus refuses; on a Citus worker it reads the tenant''s shard of the parent on this node (ops.local_relation)';
