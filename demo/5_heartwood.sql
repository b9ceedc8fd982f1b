-- Demo data, Heartwood Valley: a player and their character, two agents with state, a
-- rivalry and a friendship, a work schedule and 80 memories of Elara the blacksmith.
insert into core.tenants (slug, name) values ('heartwood', 'Heartwood Valley');

insert into core.users (tenant_id, username, password_hash)
select t.id, 'player1', '$2b$12$Zq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xZq1xa'
from core.tenants as t where t.slug = 'heartwood';

insert into core.characters (tenant_id, user_id, name)
select u.tenant_id, u.id, 'Wren'
from core.users as u where u.username = 'player1';

insert into agents.agents (tenant_id, name, slug, role, personality)
select t.id, v.name, v.slug, v.role, v.personality::jsonb
from core.tenants as t
cross join (values
    ('Elara', 'elara_blacksmith', 'blacksmith', '{"traits": ["stubborn", "kind"]}'),
    ('Marcus', 'marcus_merchant', 'merchant', '{}')
) as v (name, slug, role, personality)
where t.slug = 'heartwood';

insert into agents.agent_states (tenant_id, agent_id, location, current_action, mood, energy)
select a.tenant_id, a.id, 'forge', 'hammering', 'focused', 80
from agents.agents as a where a.slug = 'elara_blacksmith';

insert into agents.relationships (tenant_id, agent_id, other_agent_id, relationship_type, affection, trust)
select e.tenant_id, e.id, m.id, 'rival', -20, 60
from agents.agents as e
inner join agents.agents as m on e.tenant_id = m.tenant_id and m.slug = 'marcus_merchant'
where e.slug = 'elara_blacksmith';

insert into agents.relationships (tenant_id, agent_id, character_id, relationship_type, affection, trust)
select e.tenant_id, e.id, c.id, 'friend', 45, 70
from agents.agents as e
inner join core.characters as c on e.tenant_id = c.tenant_id and c.name = 'Wren'
where e.slug = 'elara_blacksmith';

insert into agents.schedules (tenant_id, agent_id, day_of_week, start_time, end_time, activity, location)
select a.tenant_id, a.id, d.n, '08:00', '17:00', 'work the forge', 'forge'
from agents.agents as a
cross join generate_series(1, 5) as d (n)
where a.slug = 'elara_blacksmith';

insert into memory.memories (tenant_id, agent_id, kind, content, importance, created_at, last_accessed_at)
select
    a.tenant_id,
    a.id,
    (array['observation', 'reflection', 'plan'])[1 + g.n % 3],
    'Elara remembers event ' || g.n,
    1 + g.n % 10,
    now() - g.n * interval '2 hours',
    now() - g.n * interval '2 hours'
from agents.agents as a
cross join generate_series(1, 80) as g (n)
where a.slug = 'elara_blacksmith';
