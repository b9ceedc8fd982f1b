-- Least privilege and a tenant bound to its transaction (issue 14).
-- The app role keeps insert, update, delete on tenant-scoped tables only (ops.secure_objects
-- now sets privileges by rule and revokes extra ones: global tables such as ops.roles,
-- knowledge.embedding_models and core.tenants become read-only to it); the tenant and
-- app-user settings carry the transaction's identity (ops.transaction_identity), so a
-- session-level set counts in no transaction; public and granted agents are shared only
-- with a tenant that is set.
-- requires: ops.secure_objects ops.current_tenant_id ops.require_tenant_id ops.current_app_user_id
-- requires: ops.set_tenant ops.set_app_user agents.is_granted ops.tg_audit knowledge.register_embedding_model

drop policy agents_shared on agents.agents;

do $block$
begin
    execute pg_catalog.format(
        'create policy agents_shared on agents.agents for select to %I, %I '
        'using (ops.current_tenant_id() is not null and (visibility = ''public'' or agents.is_granted(tenant_id, id)))',
        ops.role_name('app'), ops.role_name('readonly'));
end
$block$;

comment on policy agents_shared on agents.agents is 'With a tenant set: public agents of every organization, private ones of organizations that granted them (AJ); without a tenant, none';

select count(*) from ops.secure_objects();
