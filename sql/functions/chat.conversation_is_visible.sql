-- Whether the current transaction may see one conversation row (its own row-level security decides):
-- the user_isolation policies of the rows that belong to it ask this.
-- depends: ops.current_tenant_id
create or replace function chat.conversation_is_visible(p_tenant_id uuid, p_id uuid)
returns boolean
language sql
stable
parallel safe
security invoker
set search_path = ''
begin atomic
    -- only rows of the transaction's tenant are looked up (Citus: that tenant's rows are on
    -- this node; a policy may be evaluated on other tenants' rows before the tenant filter)
    select p_tenant_id = ops.current_tenant_id()
           and exists (select 1 from chat.conversations as p where p.tenant_id = p_tenant_id and p.id = p_id);
end;

comment on function chat.conversation_is_visible(uuid, uuid) is
'True when the current transaction sees chat.conversations row p_id of tenant p_tenant_id under that table''s own row-level security: rows that belong to it (messages, context spans, files) are visible only with it in tenants that isolate users (user_isolation policies, migration 0043). A function rather than a subquery in the policy, which Citus refuses; on Citus, agentdb distribute sets citus.allow_nested_distributed_execution on it for its one colocated look-up (the parent is the same tenant''s, so on the same node)';
