-- Demo data, Tokyo-IA: two agents, a code review workflow of 40 tasks (every tenth
-- one failed), and 100 latency metrics.
insert into core.tenants (slug, name) values ('tokyo-ia', 'Tokyo-IA');

insert into agents.agents (tenant_id, name, slug, role, model, specialties)
select t.id, v.name, v.slug, v.role, v.model, v.specialties
from core.tenants as t
cross join (values
    ('Akira - Code Review Master', 'akira-001', 'code_review', 'claude-opus-4.1',
     array['security', 'performance', 'architecture']),
    ('Yuki - Test Engineering Specialist', 'yuki-002', 'test_engineering', 'openai-o3',
     array['unit_testing', 'integration_testing', 'e2e_testing'])
) as v (name, slug, role, model, specialties)
where t.slug = 'tokyo-ia';

insert into work.workflows (tenant_id, name, workflow_type, status)
select t.id, 'review PR 42', 'code_review', 'running'
from core.tenants as t where t.slug = 'tokyo-ia';

-- inserted running, then finished, so the status triggers fill times and counters
insert into work.tasks (tenant_id, workflow_id, agent_id, task_type, description, status)
select w.tenant_id, w.id, a.id, 'code_review', 'review file ' || g.n, 'running'
from work.workflows as w
inner join agents.agents as a on w.tenant_id = a.tenant_id and a.slug = 'akira-001'
cross join generate_series(0, 39) as g (n)
where w.name = 'review PR 42'
order by g.n;

update work.tasks as k
set
    status = case when f.n % 10 = 9 then 'failed' else 'completed' end,
    tokens_used = 500 + (f.n * 7919) % 3500,
    cost_usd = round(0.01 + ((f.n * 37) % 190) / 1000.0, 4),
    error_message = case when f.n % 10 = 9 then 'timeout' end
from (
    select
        t.id,
        (substring(t.description from 'review file (\d+)'))::integer as n
    from work.tasks as t inner join core.tenants as c on t.tenant_id = c.id
    where c.slug = 'tokyo-ia'
) as f
where k.id = f.id;

insert into work.metrics (tenant_id, agent_id, metric_type, value, unit, recorded_at)
select a.tenant_id, a.id, 'latency', 200 + (g.n * 37) % 400, 'ms', now() - g.n * interval '10 minutes'
from agents.agents as a
cross join generate_series(1, 100) as g (n)
where a.slug = 'akira-001';
