-- Demo data, AJ Copilot: two organizations, a public agent and a private one granted to
-- the other organization, and a conversation with an attached file.
insert into core.tenants (slug, name, external_id) values
('aj-acme', 'Acme', 'org_acme'),
('aj-globex', 'Globex', 'org_globex');

insert into agents.agents (tenant_id, name, slug, visibility)
select t.id, v.name, v.slug, v.visibility
from core.tenants as t
cross join (values ('Stock', 'stock', 'public'), ('Ringi', 'ringi', 'private')) as v (name, slug, visibility)
where t.slug = 'aj-acme';

-- Acme shares its agents: Stock with everyone, Ringi with Globex (the functions act for
-- the transaction's tenant)
select ops.set_tenant('aj-acme');

select agents.share_agent(a.id)
from agents.agents as a
inner join core.tenants as t on a.tenant_id = t.id
where t.slug = 'aj-acme' and a.slug = 'stock';

select agents.grant_agent(a.id, 'aj-globex')
from agents.agents as a
inner join core.tenants as t on a.tenant_id = t.id
where t.slug = 'aj-acme' and a.slug = 'ringi';

select set_config('agentdb.tenant_id', '', true);

insert into core.users (tenant_id, external_id, email)
select t.id, 'user_alice', 'alice@acme.example'
from core.tenants as t where t.slug = 'aj-acme';

insert into chat.conversations (tenant_id, agent_id, user_id, sharing)
select a.tenant_id, a.id, u.id, 'organization'
from agents.agents as a
inner join core.users as u on a.tenant_id = u.tenant_id and u.external_id = 'user_alice'
where a.slug = 'ringi';

insert into chat.files (tenant_id, conversation_id, user_id, kind, name, size_bytes)
select c.tenant_id, c.id, c.user_id, 'attachment', 'q3-report.pdf', 48213
from chat.conversations as c
inner join core.users as u on c.tenant_id = u.tenant_id and c.user_id = u.id
where u.external_id = 'user_alice';

insert into chat.message_files (tenant_id, message_id, message_created_at, file_id)
select c.tenant_id, m.id, m.created_at, f.id
from chat.conversations as c
inner join core.users as u on c.tenant_id = u.tenant_id and c.user_id = u.id
inner join chat.files as f on c.tenant_id = f.tenant_id and c.id = f.conversation_id
cross join lateral chat.append_message(c.tenant_id, 'user', 'Summarise the attached report', c.id, c.agent_id) as m
where u.external_id = 'user_alice';
