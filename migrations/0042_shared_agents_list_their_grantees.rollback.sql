-- Undo 0042_shared_agents_list_their_grantees: the visibility policy reads the grants again.
do $block$
declare
    v_app text := ops.role_name('app');
    v_readonly text := ops.role_name('readonly');
begin
    drop policy shared_agents_visible on agents.shared_agents;
    execute pg_catalog.format(
        'create policy shared_agents_visible on agents.shared_agents for select to %I, %I '
        'using (ops.current_tenant_id() is not null and (owner_tenant_id = ops.current_tenant_id() '
        'or withdrawn_at is null and (visibility = ''public'' or exists (select 1 from agents.shared_agent_grants as g '
        'where g.owner_tenant_id = shared_agents.owner_tenant_id and g.agent_id = shared_agents.agent_id '
        'and g.grantee_tenant_id = ops.current_tenant_id() and g.revoked_at is null))))', v_app, v_readonly);
end
$block$;

comment on policy shared_agents_visible on agents.shared_agents is 'With a tenant set: its own published agents, public ones and those granted to it (not revoked); nothing without a tenant';

alter table agents.shared_agents drop column grantee_tenant_ids;
