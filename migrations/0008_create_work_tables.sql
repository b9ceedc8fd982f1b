-- Create work: workflows (counters kept from their tasks), tasks (sub-tasks, retries, a
-- work queue with leases), interactions between agents, metrics partitioned by month.
-- requires: ops.tg_set_updated_at ops.ensure_time_partitions
-- requires: work.tg_track_status work.tg_count_workflow_tasks

create table work.workflows (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    name text not null,
    description text,
    workflow_type text,
    status text not null default 'pending',
    initiator text,
    user_id uuid,
    total_tasks integer not null default 0,
    completed_tasks integer not null default 0,
    failed_tasks integer not null default 0,
    total_tokens bigint not null default 0,
    total_cost_usd numeric(14, 6) not null default 0,
    current_step text,
    steps_completed jsonb not null default '[]'::jsonb,
    input jsonb,
    output jsonb,
    error_message text,
    metrics jsonb not null default '{}'::jsonb,
    retry_count integer not null default 0,
    started_at timestamptz,
    completed_at timestamptz,
    duration_ms bigint,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint workflows_pkey primary key (tenant_id, id),
    constraint workflows_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint workflows_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete set null (user_id),
    constraint workflows_status_check check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
    constraint workflows_counts_check check (
        total_tasks >= 0 and completed_tasks >= 0 and failed_tasks >= 0
        and completed_tasks + failed_tasks <= total_tasks
    ),
    constraint workflows_totals_check check (total_tokens >= 0 and total_cost_usd >= 0),
    constraint workflows_steps_completed_check check (jsonb_typeof(steps_completed) = 'array'),
    constraint workflows_duration_ms_check check (duration_ms >= 0),
    constraint workflows_times_check check (completed_at >= started_at),
    constraint workflows_retry_count_check check (retry_count >= 0)
);

create index workflows_tenant_id_status_created_at_idx on work.workflows (tenant_id, status, created_at desc);
create index workflows_tenant_id_workflow_type_idx on work.workflows (tenant_id, workflow_type);
create index workflows_tenant_id_user_id_idx on work.workflows (tenant_id, user_id);

comment on table work.workflows is 'A multi-agent workflow run (Tokyo-IA workflows, cirkelline workflow_runs) with task counters and totals kept by trigger from its tasks';
comment on column work.workflows.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column work.workflows.id is 'Time-ordered id (ops.uuidv7)';
comment on column work.workflows.name is 'Workflow name (cirkelline workflow_name, e.g. memory_optimization)';
comment on column work.workflows.description is 'What the run does';
comment on column work.workflows.workflow_type is 'Kind of workflow (e.g. code_review)';
comment on column work.workflows.status is 'pending, running, completed, failed or cancelled; changes are checked by trigger _500_track_status';
comment on column work.workflows.initiator is 'User or system that started it';
comment on column work.workflows.user_id is 'User who triggered it, when a row of core.users';
comment on column work.workflows.total_tasks is 'Number of its tasks, kept by trigger';
comment on column work.workflows.completed_tasks is 'Tasks completed, kept by trigger';
comment on column work.workflows.failed_tasks is 'Tasks failed, kept by trigger';
comment on column work.workflows.total_tokens is 'Sum of its tasks'' tokens, kept by trigger';
comment on column work.workflows.total_cost_usd is 'Sum of its tasks'' cost in USD, kept by trigger';
comment on column work.workflows.current_step is 'Step executing now (cirkelline)';
comment on column work.workflows.steps_completed is 'Steps done so far, a JSON array (cirkelline)';
comment on column work.workflows.input is 'Input payload';
comment on column work.workflows.output is 'Output payload';
comment on column work.workflows.error_message is 'Why it failed';
comment on column work.workflows.metrics is 'Performance data as JSON (cirkelline metrics)';
comment on column work.workflows.retry_count is 'Times it was retried (failed back to pending)';
comment on column work.workflows.started_at is 'When it started running (set by trigger unless given)';
comment on column work.workflows.completed_at is 'When it reached a terminal status (set by trigger unless given)';
comment on column work.workflows.duration_ms is 'completed_at - started_at in ms, for every terminal status (trigger)';
comment on column work.workflows.metadata is 'Additional data as JSON';
comment on column work.workflows.created_at is 'When it was created';
comment on column work.workflows.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index work.workflows_tenant_id_status_created_at_idx is 'Workflows by status, newest first';
comment on index work.workflows_tenant_id_workflow_type_idx is 'Workflows by type';
comment on index work.workflows_tenant_id_user_id_idx is 'Supports the user foreign key';

create trigger _100_set_updated_at before update on work.workflows
for each row execute function ops.tg_set_updated_at();
create trigger _500_track_status before insert or update on work.workflows
for each row execute function work.tg_track_status();

create table work.tasks (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid,
    assigned_agent_id uuid,
    workflow_id uuid,
    parent_task_id uuid,
    task_type text not null,
    description text not null default '',
    status text not null default 'pending',
    priority smallint not null default 0,
    input jsonb,
    output jsonb,
    error_message text,
    tokens_used bigint not null default 0,
    cost_usd numeric(14, 6) not null default 0,
    retry_count integer not null default 0,
    max_retries integer not null default 3,
    attempts integer not null default 0,
    claimed_by text,
    claimed_at timestamptz,
    lease_expires_at timestamptz,
    started_at timestamptz,
    completed_at timestamptz,
    duration_ms bigint,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint tasks_pkey primary key (tenant_id, id),
    constraint tasks_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete set null (agent_id),
    constraint tasks_tenant_id_assigned_agent_id_fkey foreign key (tenant_id, assigned_agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint tasks_tenant_id_workflow_id_fkey foreign key (tenant_id, workflow_id)
    references work.workflows (tenant_id, id) on delete cascade,
    constraint tasks_tenant_id_parent_task_id_fkey foreign key (tenant_id, parent_task_id)
    references work.tasks (tenant_id, id) on delete cascade,
    constraint tasks_status_check check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
    constraint tasks_not_own_parent_check check (parent_task_id <> id),
    constraint tasks_tokens_used_check check (tokens_used >= 0),
    constraint tasks_cost_usd_check check (cost_usd >= 0),
    constraint tasks_retries_check check (retry_count >= 0 and max_retries >= 0 and attempts >= 0),
    constraint tasks_duration_ms_check check (duration_ms >= 0),
    constraint tasks_times_check check (completed_at >= started_at),
    constraint tasks_lease_check check (status = 'running' or lease_expires_at is null)
);

create index tasks_tenant_id_agent_id_status_created_at_idx
on work.tasks (tenant_id, agent_id, status, created_at desc);
create index tasks_tenant_id_workflow_id_idx on work.tasks (tenant_id, workflow_id);
create index tasks_tenant_id_assigned_agent_id_idx on work.tasks (tenant_id, assigned_agent_id)
where assigned_agent_id is not null;
create index tasks_tenant_id_parent_task_id_idx on work.tasks (tenant_id, parent_task_id)
where parent_task_id is not null;
create index tasks_tenant_id_status_created_at_idx on work.tasks (tenant_id, status, created_at desc);
create index tasks_queue_idx on work.tasks (tenant_id, priority desc, created_at, id) where status = 'pending';
create index tasks_lease_idx on work.tasks (tenant_id, lease_expires_at) where status = 'running';

comment on table work.tasks is 'A unit of work for an agent (Tokyo-IA agent_tasks), with sub-tasks and retries; also a work queue: workers claim pending tasks with work.claim_tasks under a lease';
comment on column work.tasks.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column work.tasks.id is 'Time-ordered id (ops.uuidv7)';
comment on column work.tasks.agent_id is 'Agent that runs or ran it: set by the client, or by work.claim_tasks when an agent claims it';
comment on column work.tasks.assigned_agent_id is 'Queue: the only agent that may claim it; null lets any agent of the tenant claim it';
comment on column work.tasks.workflow_id is 'Workflow it belongs to, if any';
comment on column work.tasks.parent_task_id is 'Parent task, for sub-tasks';
comment on column work.tasks.task_type is 'Kind of task (e.g. code_review); workers may claim only some types';
comment on column work.tasks.description is 'What to do';
comment on column work.tasks.status is 'pending, running, completed, failed or cancelled; changes are checked by trigger _500_track_status';
comment on column work.tasks.priority is 'Higher runs first; ties by age';
comment on column work.tasks.input is 'Input parameters as JSON';
comment on column work.tasks.output is 'Result as JSON';
comment on column work.tasks.error_message is 'Why it failed';
comment on column work.tasks.tokens_used is 'LLM tokens consumed';
comment on column work.tasks.cost_usd is 'Cost in USD';
comment on column work.tasks.retry_count is 'Times it went from failed back to pending (trigger)';
comment on column work.tasks.max_retries is 'Retries work.fail_task allows before the failure is final';
comment on column work.tasks.attempts is 'Times a worker claimed it (a lease that expired and was reclaimed counts again)';
comment on column work.tasks.claimed_by is 'Label of the worker process that claimed it (e.g. host:pid)';
comment on column work.tasks.claimed_at is 'When the current worker claimed it';
comment on column work.tasks.lease_expires_at is 'While running: when another worker may reclaim it if this one has not finished or extended the lease';
comment on column work.tasks.started_at is 'When it started running (set by trigger unless given)';
comment on column work.tasks.completed_at is 'When it reached a terminal status (set by trigger unless given)';
comment on column work.tasks.duration_ms is 'completed_at - started_at in ms, for every terminal status (trigger)';
comment on column work.tasks.metadata is 'Additional data as JSON';
comment on column work.tasks.created_at is 'When it was created (queue order within a priority)';
comment on column work.tasks.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index work.tasks_tenant_id_agent_id_status_created_at_idx is 'An agent''s tasks by status, newest first; supports the agent foreign key';
comment on index work.tasks_tenant_id_workflow_id_idx is 'Tasks of a workflow; supports the foreign key';
comment on index work.tasks_tenant_id_assigned_agent_id_idx is 'Supports the assigned agent foreign key';
comment on index work.tasks_tenant_id_parent_task_id_idx is 'Sub-tasks of a task; supports the foreign key';
comment on index work.tasks_tenant_id_status_created_at_idx is 'Tasks by status in time order (failed tasks in a window)';
comment on index work.tasks_queue_idx is 'The queue: pending tasks by priority, then age';
comment on index work.tasks_lease_idx is 'Running tasks by lease expiry, to reclaim those whose worker died';

create trigger _100_set_updated_at before update on work.tasks
for each row execute function ops.tg_set_updated_at();
create trigger _500_track_status before insert or update on work.tasks
for each row execute function work.tg_track_status();
create trigger _600_count_workflow_tasks_insert after insert on work.tasks
referencing new table as new_rows
for each statement execute function work.tg_count_workflow_tasks();
create trigger _600_count_workflow_tasks_update after update on work.tasks
referencing old table as old_rows new table as new_rows
for each statement execute function work.tg_count_workflow_tasks();
create trigger _600_count_workflow_tasks_delete after delete on work.tasks
referencing old table as old_rows
for each statement execute function work.tg_count_workflow_tasks();

create table work.interactions (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    workflow_id uuid,
    from_agent_id uuid not null,
    to_agent_id uuid not null,
    interaction_type text not null,
    message text,
    payload jsonb,
    created_at timestamptz not null default now(),
    constraint interactions_pkey primary key (tenant_id, id),
    constraint interactions_tenant_id_workflow_id_fkey foreign key (tenant_id, workflow_id)
    references work.workflows (tenant_id, id) on delete cascade,
    constraint interactions_tenant_id_from_agent_id_fkey foreign key (tenant_id, from_agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint interactions_tenant_id_to_agent_id_fkey foreign key (tenant_id, to_agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint interactions_interaction_type_check check (
        interaction_type in ('handoff', 'collaboration', 'review', 'feedback')
    )
);

create index interactions_tenant_id_workflow_id_idx on work.interactions (tenant_id, workflow_id);
create index interactions_tenant_id_from_agent_id_to_agent_id_idx
on work.interactions (tenant_id, from_agent_id, to_agent_id);
create index interactions_tenant_id_to_agent_id_idx on work.interactions (tenant_id, to_agent_id);

comment on table work.interactions is 'Communication between agents in a workflow (Tokyo-IA agent_interactions)';
comment on column work.interactions.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column work.interactions.id is 'Time-ordered id (ops.uuidv7)';
comment on column work.interactions.workflow_id is 'Workflow it happened in, if any';
comment on column work.interactions.from_agent_id is 'Agent that acted';
comment on column work.interactions.to_agent_id is 'Agent acted upon';
comment on column work.interactions.interaction_type is 'handoff, collaboration, review or feedback';
comment on column work.interactions.message is 'What was said';
comment on column work.interactions.payload is 'Data handed over, as JSON';
comment on column work.interactions.created_at is 'When it happened';
comment on index work.interactions_tenant_id_workflow_id_idx is 'Interactions of a workflow; supports the foreign key';
comment on index work.interactions_tenant_id_from_agent_id_to_agent_id_idx is 'Between two agents; supports the from-agent foreign key';
comment on index work.interactions_tenant_id_to_agent_id_idx is 'Supports the to-agent foreign key';

create table work.metrics (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    recorded_at timestamptz not null default now(),
    agent_id uuid not null,
    metric_type text not null,
    value double precision not null,
    unit text,
    context jsonb not null default '{}'::jsonb,
    constraint metrics_pkey primary key (tenant_id, id, recorded_at),
    constraint metrics_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint metrics_metric_type_check check (metric_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    constraint metrics_context_check check (jsonb_typeof(context) = 'object')
) partition by range (recorded_at);

create index metrics_tenant_id_agent_id_metric_type_recorded_at_idx
on work.metrics (tenant_id, agent_id, metric_type, recorded_at desc);

comment on table work.metrics is 'Time series of agent measurements (Tokyo-IA agent_metrics), partitioned by month on recorded_at';
comment on column work.metrics.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column work.metrics.id is 'Time-ordered id (ops.uuidv7)';
comment on column work.metrics.recorded_at is 'When it was measured; the partition key';
comment on column work.metrics.agent_id is 'The agent measured';
comment on column work.metrics.metric_type is 'latency, tokens, cost, success_rate, error_rate or another snake_case name';
comment on column work.metrics.value is 'The measurement';
comment on column work.metrics.unit is 'Unit of value (ms, tokens, usd, percent)';
comment on column work.metrics.context is 'What was measured, as JSON';
comment on index work.metrics_tenant_id_agent_id_metric_type_recorded_at_idx is 'An agent''s series of one metric, newest first; supports the agent foreign key';

select ops.ensure_time_partitions('work.metrics', 'month', 1, 3);
