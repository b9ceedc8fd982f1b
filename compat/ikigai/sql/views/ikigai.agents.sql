-- ikigai agents: agentdb's agents of the current tenant that carry an ikigai number.
-- depends: ikigai.tg_agents
create or replace view ikigai.agents
with (security_invoker = true)
as
select
    (a.metadata ->> 'ikigai_id')::bigint as id,
    a.name,
    p.name as project,
    coalesce(u.username, u.external_id) as user_id,
    a.created_at
from agents.agents as a
left join core.projects as p on a.tenant_id = p.tenant_id and a.project_id = p.id
left join core.users as u on a.tenant_id = u.tenant_id and a.owner_user_id = u.id
where a.tenant_id = ops.current_tenant_id() and a.metadata ? 'ikigai_id';

create or replace trigger ikigai_agents_write instead of insert or update or delete on ikigai.agents
for each row execute function ikigai.tg_agents();

comment on view ikigai.agents is 'ikigai agents (agents.agents of the current tenant with an ikigai number): first-class, not tied to a client';
comment on column ikigai.agents.id is 'ikigai''s integer agent id (agents.agents.metadata ->> ''ikigai_id'')';
comment on column ikigai.agents.name is 'Agent name';
comment on column ikigai.agents.project is 'Project name (core.projects)';
comment on column ikigai.agents.user_id is 'Owner''s username (else external id)';
comment on column ikigai.agents.created_at is 'Creation time';
