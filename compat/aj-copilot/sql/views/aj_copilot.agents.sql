-- AJ Copilot agents: agents.agents under AJ's name; a write passes through to agents.agents (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.agents
with (security_invoker = true)
as
select
    a.id,
    a.tenant_id as organization_id,
    a.slug,
    a.name,
    a.description,
    a.instructions,
    a.model,
    a.model_config,
    a.personality,
    a.status,
    a.visibility,
    a.owner_user_id,
    a.metadata,
    a.created_at,
    a.updated_at,
    a.archived_at
from agents.agents as a;

comment on view aj_copilot.agents is 'Agent definitions (agents.agents): persona (name, description, instructions, model), visibility public, private or hidden; updatable: a write passes through to agents.agents';
comment on column aj_copilot.agents.id is 'agents.agents.id';
comment on column aj_copilot.agents.organization_id is 'agents.agents.tenant_id';
comment on column aj_copilot.agents.slug is 'agents.agents.slug';
comment on column aj_copilot.agents.name is 'agents.agents.name';
comment on column aj_copilot.agents.description is 'agents.agents.description';
comment on column aj_copilot.agents.instructions is 'agents.agents.instructions';
comment on column aj_copilot.agents.model is 'agents.agents.model';
comment on column aj_copilot.agents.model_config is 'agents.agents.model_config';
comment on column aj_copilot.agents.personality is 'agents.agents.personality';
comment on column aj_copilot.agents.status is 'agents.agents.status';
comment on column aj_copilot.agents.visibility is 'agents.agents.visibility';
comment on column aj_copilot.agents.owner_user_id is 'agents.agents.owner_user_id';
comment on column aj_copilot.agents.metadata is 'agents.agents.metadata';
comment on column aj_copilot.agents.created_at is 'agents.agents.created_at';
comment on column aj_copilot.agents.updated_at is 'agents.agents.updated_at';
comment on column aj_copilot.agents.archived_at is 'agents.agents.archived_at';
