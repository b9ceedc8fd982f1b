-- Citus refuses a policy with a subquery on a distributed or reference table ("Subqueries
-- are not supported in policies on distributed tables"), and a policy function that reads
-- another table cannot run inside a query on a shard. So the organizations an agent is
-- granted to (not revoked) are kept on the shared agent itself, written by
-- agents.grant_agent and agents.revoke_agent (the only writers of the grants), and the
-- visibility policy compares columns only. Same rows visible as before, on one node too.
-- requires: agents.grant_agent agents.revoke_agent

alter table agents.shared_agents add column grantee_tenant_ids uuid[] not null default '{}';

comment on column agents.shared_agents.grantee_tenant_ids is 'Organizations holding an active (not revoked) grant of this agent, kept by agents.grant_agent and agents.revoke_agent from agents.shared_agent_grants; read by the shared_agents_visible policy, which may not query another table (Citus)';

update agents.shared_agents as s
   set grantee_tenant_ids = g.tenants
  from (select owner_tenant_id, agent_id, array_agg(grantee_tenant_id order by grantee_tenant_id) as tenants
          from agents.shared_agent_grants
         where revoked_at is null
         group by owner_tenant_id, agent_id) as g
 where g.owner_tenant_id = s.owner_tenant_id and g.agent_id = s.agent_id;

do $block$
declare
    v_app text := ops.role_name('app');
    v_readonly text := ops.role_name('readonly');
begin
    drop policy shared_agents_visible on agents.shared_agents;
    execute pg_catalog.format(
        'create policy shared_agents_visible on agents.shared_agents for select to %I, %I '
        'using (ops.current_tenant_id() is not null and (owner_tenant_id = ops.current_tenant_id() '
        'or withdrawn_at is null and (visibility = ''public'' or ops.current_tenant_id() = any (grantee_tenant_ids))))',
        v_app, v_readonly);
end
$block$;

comment on policy shared_agents_visible on agents.shared_agents is 'With a tenant set: its own published agents, public ones and those granted to it (grantee_tenant_ids: not revoked); nothing without a tenant';
