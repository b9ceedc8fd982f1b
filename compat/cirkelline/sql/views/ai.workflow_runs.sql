-- cirkelline's workflow runs: agentdb's work.workflows (read-only here).
create or replace view ai.workflow_runs
with (security_invoker = true)
as
select
    w.id,
    w.id::text as run_id,
    w.name as workflow_name,
    coalesce(u.external_id, u.id::text) as user_id,
    pg_catalog.upper(w.status) as status,
    coalesce(w.started_at, w.created_at) as started_at,
    w.completed_at,
    w.current_step,
    w.steps_completed,
    w.input as input_data,
    w.output as output_data,
    w.error_message,
    w.metrics
from work.workflows as w
left join core.users as u on w.tenant_id = u.tenant_id and w.user_id = u.id;

comment on view ai.workflow_runs is 'cirkelline workflow runs (work.workflows), status in capitals (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED); read-only: runs are written through work.workflows';
comment on column ai.workflow_runs.id is 'The workflow id';
comment on column ai.workflow_runs.run_id is 'The workflow id as text';
comment on column ai.workflow_runs.workflow_name is 'Which workflow (memory_optimization)';
comment on column ai.workflow_runs.user_id is 'The user who triggered it (external id, else id)';
comment on column ai.workflow_runs.status is 'PENDING, RUNNING, COMPLETED, FAILED, CANCELLED';
comment on column ai.workflow_runs.started_at is 'Start (else creation) time';
comment on column ai.workflow_runs.completed_at is 'End time';
comment on column ai.workflow_runs.current_step is 'Step being executed';
comment on column ai.workflow_runs.steps_completed is 'Completed steps, a JSON array';
comment on column ai.workflow_runs.input_data is 'Input payload';
comment on column ai.workflow_runs.output_data is 'Output payload';
comment on column ai.workflow_runs.error_message is 'Why it failed';
comment on column ai.workflow_runs.metrics is 'Performance data';
