-- AJ Copilot agent_states: agents.agent_states under AJ's name; a write passes through to agents.agent_states (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.agent_states
with (security_invoker = true)
as
select
    s.id,
    s.tenant_id as organization_id,
    s.agent_id,
    s.user_id,
    s.state,
    s.created_at,
    s.updated_at
from agents.agent_states as s
where s.user_id is not null;

comment on view aj_copilot.agent_states is 'Persistent per-user agent state (agents.agent_states with a user); updatable: a write passes through to agents.agent_states';
comment on column aj_copilot.agent_states.id is 'agents.agent_states.id';
comment on column aj_copilot.agent_states.organization_id is 'agents.agent_states.tenant_id';
comment on column aj_copilot.agent_states.agent_id is 'agents.agent_states.agent_id';
comment on column aj_copilot.agent_states.user_id is 'agents.agent_states.user_id';
comment on column aj_copilot.agent_states.state is 'agents.agent_states.state';
comment on column aj_copilot.agent_states.created_at is 'agents.agent_states.created_at';
comment on column aj_copilot.agent_states.updated_at is 'agents.agent_states.updated_at';
