-- AJ Copilot organization_agents: which organizations may use which shared agent.
create or replace view aj_copilot.organization_agents
with (security_invoker = true)
as
select
    g.grantee_tenant_id as organization_id,
    g.agent_id,
    g.owner_tenant_id,
    g.granted_by_user_id,
    g.granted_at,
    g.revoked_at
from agents.shared_agent_grants as g;

comment on view aj_copilot.organization_agents is 'Per-organization access to shared agents (agents.shared_agent_grants, as row-level security shows them: grants to the current organization and of its own agents); read-only: grant with agents.grant_agent, revoke with agents.revoke_agent';
comment on column aj_copilot.organization_agents.organization_id is 'agents.shared_agent_grants.grantee_tenant_id: the organization given access';
comment on column aj_copilot.organization_agents.agent_id is 'agents.shared_agent_grants.agent_id: the agent in its owner''s tenant';
comment on column aj_copilot.organization_agents.owner_tenant_id is 'agents.shared_agent_grants.owner_tenant_id';
comment on column aj_copilot.organization_agents.granted_by_user_id is 'agents.shared_agent_grants.granted_by_user_id';
comment on column aj_copilot.organization_agents.granted_at is 'agents.shared_agent_grants.granted_at';
comment on column aj_copilot.organization_agents.revoked_at is 'agents.shared_agent_grants.revoked_at: no new use after it; history stays';
