-- Demo data, cirkelline: an admin user with three chat sessions, 50 preference
-- memories and a memory optimization workflow run.
insert into core.tenants (slug, name) values ('cirkelline', 'cirkelline');

insert into core.users (tenant_id, email, password_hash, is_admin, role, context)
select
    t.id,
    'ivo@cirkelline.example',
    '$2b$12$Zq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xa',
    true,
    'CEO',
    'Prefers short answers'
from core.tenants as t where t.slug = 'cirkelline';

insert into chat.conversations (tenant_id, user_id, title)
select u.tenant_id, u.id, v.title
from core.users as u
cross join (values ('Quarterly plan'), ('Hiring'), ('Travel to Copenhagen')) as v (title)
where u.email = 'ivo@cirkelline.example';

insert into memory.memories (tenant_id, user_id, kind, content, topics, last_accessed_at)
select u.tenant_id, u.id, 'preference', 'preference ' || g.n, array['work'], now() - g.n * interval '1 day'
from core.users as u
cross join generate_series(1, 50) as g (n)
where u.email = 'ivo@cirkelline.example';

insert into work.workflows (tenant_id, name, user_id, status, current_step, steps_completed)
select u.tenant_id, 'memory_optimization', u.id, 'running', 'archive', '["collect", "score"]'
from core.users as u where u.email = 'ivo@cirkelline.example';
