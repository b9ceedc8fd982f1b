-- Demo data, ikigai: the personal tenant, a coding agent, 60 messages from two machines
-- in one context span, and a memory document.
insert into agents.agents (tenant_id, name, slug, role, model)
select t.id, 'coder', 'coder', 'software engineer', 'claude-opus-4.1'
from core.tenants as t where t.slug = 'personal';

insert into chat.conversations (tenant_id, agent_id)
select a.tenant_id, a.id
from agents.agents as a inner join core.tenants as t on a.tenant_id = t.id
where t.slug = 'personal' and a.slug = 'coder';

select
    chat.start_context_span(c.tenant_id, c.agent_id, c.id),
    chat.tag_context_span(c.tenant_id, c.agent_id, array['oauth', 'security']),
    chat.set_context_focus(c.tenant_id, c.agent_id, 'implementing OAuth 2.0 authentication')
from chat.conversations as c inner join core.tenants as t on c.tenant_id = t.id
where t.slug = 'personal';

select m.id
from chat.conversations as c
inner join core.tenants as t on c.tenant_id = t.id
cross join generate_series(0, 59) as g (n)
cross join lateral chat.append_message(
    c.tenant_id,
    case when g.n % 2 = 0 then 'user' else 'assistant' end,
    (array[
        'How should we store OAuth refresh tokens?',
        'Store only a hash of each refresh token.',
        'Do we rotate them on every use?',
        'Yes: rotate and revoke the old one at once.',
        'What did we decide about token lifetime?',
        'Thirty days for refresh, fifteen minutes for access.'
    ])[1 + g.n % 6],
    c.id,
    c.agent_id,
    p_user_name => 'mgreenly',
    p_machine => case when g.n < 40 then 'laptop' else 'workstation' end,
    p_path => '/home/mgreenly/projects/ikigai/main',
    p_git_remote => 'git@github.com:mgreenly/ikigai.git',
    p_created_at => now() - make_interval(mins => 60 - g.n)
) as m
where t.slug = 'personal'
order by g.n;

insert into memory.documents (tenant_id, alias, title, content, tags, created_by_agent_id)
select
    a.tenant_id,
    'oauth/patterns',
    'OAuth 2.0 Implementation Patterns',
    'Use PKCE for public clients. Rotate refresh tokens. Store only hashes.',
    array['oauth', 'security'],
    a.id
from agents.agents as a inner join core.tenants as t on a.tenant_id = t.id
where t.slug = 'personal' and a.slug = 'coder';
