-- AJ Copilot agent_quick_tasks: agents.quick_tasks under AJ's name; a write passes through to agents.quick_tasks (a simple view, so PostgreSQL updates it itself).
create or replace view aj_copilot.agent_quick_tasks
with (security_invoker = true)
as
select
    q.id,
    q.tenant_id as organization_id,
    q.agent_id,
    q.title,
    q.prompt,
    q.description,
    q.icon,
    q.position,
    q.schedule,
    q.is_enabled,
    q.created_at,
    q.updated_at
from agents.quick_tasks as q;

comment on view aj_copilot.agent_quick_tasks is 'Pre-prompted tasks of agents (agents.quick_tasks), optionally on a cron schedule; updatable: a write passes through to agents.quick_tasks';
comment on column aj_copilot.agent_quick_tasks.id is 'agents.quick_tasks.id';
comment on column aj_copilot.agent_quick_tasks.organization_id is 'agents.quick_tasks.tenant_id';
comment on column aj_copilot.agent_quick_tasks.agent_id is 'agents.quick_tasks.agent_id';
comment on column aj_copilot.agent_quick_tasks.title is 'agents.quick_tasks.title';
comment on column aj_copilot.agent_quick_tasks.prompt is 'agents.quick_tasks.prompt';
comment on column aj_copilot.agent_quick_tasks.description is 'agents.quick_tasks.description';
comment on column aj_copilot.agent_quick_tasks.icon is 'agents.quick_tasks.icon';
comment on column aj_copilot.agent_quick_tasks.position is 'agents.quick_tasks.position';
comment on column aj_copilot.agent_quick_tasks.schedule is 'agents.quick_tasks.schedule';
comment on column aj_copilot.agent_quick_tasks.is_enabled is 'agents.quick_tasks.is_enabled';
comment on column aj_copilot.agent_quick_tasks.created_at is 'agents.quick_tasks.created_at';
comment on column aj_copilot.agent_quick_tasks.updated_at is 'agents.quick_tasks.updated_at';
