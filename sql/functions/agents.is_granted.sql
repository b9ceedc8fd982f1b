-- Whether an agent of another tenant is granted to the current tenant.
-- depends: ops.current_tenant_id
create or replace function agents.is_granted(p_agent_tenant_id uuid, p_agent_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
begin atomic
    select exists(
        select 1 from agents.agent_grants as g
         where g.tenant_id = p_agent_tenant_id and g.agent_id = p_agent_id
           and g.grantee_tenant_id = ops.current_tenant_id()
    );
end;

comment on function agents.is_granted(uuid, uuid) is
'True when agent p_agent_id of tenant p_agent_tenant_id is granted to the current tenant (AJ organization_agents). Security definer with an empty search_path: grant rows live in the agent''s tenant, where the grantee cannot read them; it checks the current tenant itself and answers only yes or no';
