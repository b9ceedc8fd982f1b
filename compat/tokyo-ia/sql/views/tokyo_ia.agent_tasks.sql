-- Tokyo-IA agent_tasks: agentdb's work.tasks with the agent's slug as agent_id.
-- depends: tokyo_ia.tg_agent_tasks
create or replace view tokyo_ia.agent_tasks
with (security_invoker = true)
as
select
    t.id,
    a.slug as agent_id,
    t.workflow_id,
    t.task_type,
    t.description,
    t.status,
    t.input as input_data,
    t.output as output_data,
    t.error_message,
    t.started_at,
    t.completed_at,
    t.duration_ms,
    t.tokens_used,
    t.cost_usd,
    t.retry_count,
    t.parent_task_id,
    t.created_at,
    t.metadata
from work.tasks as t
left join agents.agents as a on t.tenant_id = a.tenant_id and t.agent_id = a.id;

create or replace trigger tokyo_ia_agent_tasks_write instead of insert or update or delete on tokyo_ia.agent_tasks
for each row execute function tokyo_ia.tg_agent_tasks();

comment on view tokyo_ia.agent_tasks is 'Tokyo-IA agent_tasks (work.tasks): agent_id is the agent''s slug; sub-tasks through parent_task_id; duration_ms kept by trigger for every terminal status';
comment on column tokyo_ia.agent_tasks.id is 'Task id (uuid)';
comment on column tokyo_ia.agent_tasks.agent_id is 'Tokyo-IA agent id (the agent''s slug)';
comment on column tokyo_ia.agent_tasks.workflow_id is 'Workflow the task belongs to, if any';
comment on column tokyo_ia.agent_tasks.task_type is 'Type of task (code_review)';
comment on column tokyo_ia.agent_tasks.description is 'Task description';
comment on column tokyo_ia.agent_tasks.status is 'pending, running, completed, failed, cancelled';
comment on column tokyo_ia.agent_tasks.input_data is 'work.tasks.input';
comment on column tokyo_ia.agent_tasks.output_data is 'work.tasks.output';
comment on column tokyo_ia.agent_tasks.error_message is 'Error details if it failed';
comment on column tokyo_ia.agent_tasks.started_at is 'Execution start';
comment on column tokyo_ia.agent_tasks.completed_at is 'Execution end';
comment on column tokyo_ia.agent_tasks.duration_ms is 'completed_at - started_at in milliseconds, kept by trigger';
comment on column tokyo_ia.agent_tasks.tokens_used is 'LLM tokens consumed';
comment on column tokyo_ia.agent_tasks.cost_usd is 'Task cost';
comment on column tokyo_ia.agent_tasks.retry_count is 'Retries so far';
comment on column tokyo_ia.agent_tasks.parent_task_id is 'Parent task of a sub-task';
comment on column tokyo_ia.agent_tasks.created_at is 'Creation time';
comment on column tokyo_ia.agent_tasks.metadata is 'Additional task data';
