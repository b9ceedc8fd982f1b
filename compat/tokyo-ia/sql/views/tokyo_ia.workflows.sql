-- Tokyo-IA workflows: agentdb's work.workflows with Tokyo-IA's column names.
-- depends: tokyo_ia.tg_workflows
create or replace view tokyo_ia.workflows
with (security_invoker = true)
as
select
    w.id,
    w.name,
    w.description,
    w.status,
    w.workflow_type,
    w.initiator,
    w.total_tasks,
    w.completed_tasks,
    w.failed_tasks,
    w.started_at,
    w.completed_at,
    w.duration_ms,
    w.total_tokens as total_tokens_used,
    w.total_cost_usd,
    w.created_at,
    w.updated_at,
    w.metadata
from work.workflows as w;

create or replace trigger tokyo_ia_workflows_write instead of insert or update or delete on tokyo_ia.workflows
for each row execute function tokyo_ia.tg_workflows();

comment on view tokyo_ia.workflows is 'Tokyo-IA workflows (work.workflows): counters and totals kept from the tasks by trigger, duration_ms for every terminal status';
comment on column tokyo_ia.workflows.id is 'Workflow id (uuid)';
comment on column tokyo_ia.workflows.name is 'Workflow name';
comment on column tokyo_ia.workflows.description is 'Detailed description';
comment on column tokyo_ia.workflows.status is 'pending, running, completed, failed, cancelled';
comment on column tokyo_ia.workflows.workflow_type is 'Type of workflow (code_review)';
comment on column tokyo_ia.workflows.initiator is 'User or system that started it';
comment on column tokyo_ia.workflows.total_tasks is 'Tasks of the workflow, kept by trigger';
comment on column tokyo_ia.workflows.completed_tasks is 'Completed tasks, kept by trigger';
comment on column tokyo_ia.workflows.failed_tasks is 'Failed tasks, kept by trigger';
comment on column tokyo_ia.workflows.started_at is 'Start time (set when it starts running)';
comment on column tokyo_ia.workflows.completed_at is 'End time (set at any terminal status)';
comment on column tokyo_ia.workflows.duration_ms is 'completed_at - started_at in milliseconds, kept by trigger';
comment on column tokyo_ia.workflows.total_tokens_used is 'work.workflows.total_tokens: tokens of all its tasks';
comment on column tokyo_ia.workflows.total_cost_usd is 'Cost of all its tasks';
comment on column tokyo_ia.workflows.created_at is 'Creation time';
comment on column tokyo_ia.workflows.updated_at is 'Last change, kept by trigger';
comment on column tokyo_ia.workflows.metadata is 'Additional workflow data';
