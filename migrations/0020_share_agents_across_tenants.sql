-- Shared agents (docs/decisions.md, "Shared agents"): the published definition and its
-- grants are small global tables (Citus reference tables) written only by functions;
-- each organization that uses a shared agent does so through an installation, an
-- agents.agents row of its own tenant, so all its rows stay in its tenant. The rows of
-- agents.agent_grants move here; the agents_shared policy goes (organizations no longer
-- read each other's agents.agents rows).
-- requires: ops.tg_set_updated_at ops.tg_audit agents.is_granted agents.tg_check_agent_use

create table agents.shared_agents (
    owner_tenant_id uuid not null,
    agent_id uuid not null,
    visibility text not null,
    slug text,
    name text not null,
    description text,
    role text,
    model text,
    model_config jsonb not null default '{}'::jsonb,
    instructions text,
    backstory text,
    personality jsonb not null default '{}'::jsonb,
    specialties text[] not null default '{}',
    primary_goal text,
    secondary_goals text[] not null default '{}',
    published_by_user_id uuid,
    published_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    withdrawn_at timestamptz,
    constraint shared_agents_pkey primary key (owner_tenant_id, agent_id),
    constraint shared_agents_visibility_check check (visibility in ('public', 'private')),
    constraint shared_agents_model_config_check check (jsonb_typeof(model_config) = 'object'),
    constraint shared_agents_personality_check check (jsonb_typeof(personality) = 'object')
);

create index shared_agents_agent_id_idx on agents.shared_agents (agent_id);
create index shared_agents_visibility_idx on agents.shared_agents (visibility) where visibility = 'public';

comment on table agents.shared_agents is 'Agents published beyond their tenant (AJ: defined once, made available to organizations): the owner, public or private (granted organizations only), and the definition that installations copy. Global (a Citus reference table); written only by agents.share_agent and agents.grant_agent';
comment on column agents.shared_agents.owner_tenant_id is 'Tenant that owns the agent (an organization or a platform tenant)';
comment on column agents.shared_agents.agent_id is 'The agent''s id in its owner''s tenant';
comment on column agents.shared_agents.visibility is 'public: any organization may install it; private: only organizations granted it (agents.shared_agent_grants)';
comment on column agents.shared_agents.slug is 'The agent''s slug, given to installations where the organization has no agent of that slug';
comment on column agents.shared_agents.name is 'Display name';
comment on column agents.shared_agents.description is 'What the agent is for';
comment on column agents.shared_agents.role is 'Primary function';
comment on column agents.shared_agents.model is 'LLM model identifier';
comment on column agents.shared_agents.model_config is 'Model settings as a JSON object';
comment on column agents.shared_agents.instructions is 'System instructions';
comment on column agents.shared_agents.backstory is 'Background';
comment on column agents.shared_agents.personality is 'Personality as JSON';
comment on column agents.shared_agents.specialties is 'Areas of expertise';
comment on column agents.shared_agents.primary_goal is 'The goal that drives the agent';
comment on column agents.shared_agents.secondary_goals is 'Further goals';
comment on column agents.shared_agents.published_by_user_id is 'Application user of the owner who last published it (no foreign key: a global table)';
comment on column agents.shared_agents.published_at is 'When it was first published';
comment on column agents.shared_agents.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column agents.shared_agents.withdrawn_at is 'When the owner withdrew it: no organization can start anything new with it';
comment on index agents.shared_agents_agent_id_idx is 'Find a shared agent by its id (agents.install_agent)';
comment on index agents.shared_agents_visibility_idx is 'The public catalog';

create trigger _100_set_updated_at before update on agents.shared_agents
for each row execute function ops.tg_set_updated_at();
create trigger _950_audit after insert or update or delete on agents.shared_agents
for each row execute function ops.tg_audit();

create table agents.shared_agent_grants (
    owner_tenant_id uuid not null,
    agent_id uuid not null,
    grantee_tenant_id uuid not null,
    granted_by_user_id uuid,
    granted_at timestamptz not null default now(),
    revoked_at timestamptz,
    revoked_by_user_id uuid,
    constraint shared_agent_grants_pkey primary key (owner_tenant_id, agent_id, grantee_tenant_id),
    constraint shared_agent_grants_owner_tenant_id_agent_id_fkey foreign key (owner_tenant_id, agent_id)
    references agents.shared_agents (owner_tenant_id, agent_id) on delete cascade,
    constraint shared_agent_grants_other_tenant_check check (grantee_tenant_id <> owner_tenant_id),
    constraint shared_agent_grants_revoked_check check (revoked_at >= granted_at)
);

create index shared_agent_grants_grantee_tenant_id_idx on agents.shared_agent_grants (grantee_tenant_id);

comment on table agents.shared_agent_grants is 'Which organizations may use a private shared agent (AJ organization_agents), with revokes kept. Global (a Citus reference table); written only by agents.grant_agent and agents.revoke_agent';
comment on column agents.shared_agent_grants.owner_tenant_id is 'Tenant that owns the agent';
comment on column agents.shared_agent_grants.agent_id is 'The shared agent';
comment on column agents.shared_agent_grants.grantee_tenant_id is 'Organization given access';
comment on column agents.shared_agent_grants.granted_by_user_id is 'Application user of the owner who granted it';
comment on column agents.shared_agent_grants.granted_at is 'When access was (last) granted';
comment on column agents.shared_agent_grants.revoked_at is 'When access was revoked: no new use, history kept; null while granted';
comment on column agents.shared_agent_grants.revoked_by_user_id is 'Application user of the owner who revoked it';
comment on index agents.shared_agent_grants_grantee_tenant_id_idx is 'Agents granted to an organization';

create trigger _950_audit after insert or update or delete on agents.shared_agent_grants
for each row execute function ops.tg_audit();

-- read policies only: with row-level security forced and no write policy, the app and
-- read-only roles cannot write these tables; the functions write them as the owner
alter table agents.shared_agents enable row level security;
alter table agents.shared_agents force row level security;
alter table agents.shared_agent_grants enable row level security;
alter table agents.shared_agent_grants force row level security;
do $block$
declare
    v_owner text := (select r.name from ops.roles as r where r.kind = 'owner');
    v_app text := (select r.name from ops.roles as r where r.kind = 'app');
    v_readonly text := (select r.name from ops.roles as r where r.kind = 'readonly');
begin
    execute pg_catalog.format(
        'create policy shared_agents_visible on agents.shared_agents for select to %I, %I '
        'using (ops.current_tenant_id() is not null and (owner_tenant_id = ops.current_tenant_id() '
        'or withdrawn_at is null and (visibility = ''public'' or exists (select 1 from agents.shared_agent_grants as g '
        'where g.owner_tenant_id = shared_agents.owner_tenant_id and g.agent_id = shared_agents.agent_id '
        'and g.grantee_tenant_id = ops.current_tenant_id() and g.revoked_at is null))))', v_app, v_readonly);
    execute pg_catalog.format(
        'create policy shared_agent_grants_visible on agents.shared_agent_grants for select to %I, %I '
        'using (ops.current_tenant_id() in (owner_tenant_id, grantee_tenant_id))', v_app, v_readonly);
    execute pg_catalog.format('create policy owner_all on agents.shared_agents to %I using (true) with check (true)',
                              v_owner);
    execute pg_catalog.format('create policy owner_all on agents.shared_agent_grants to %I using (true) with check (true)',
                              v_owner);
end
$block$;

comment on policy shared_agents_visible on agents.shared_agents is 'With a tenant set: its own published agents, public ones and those granted to it (not revoked); nothing without a tenant';
comment on policy shared_agent_grants_visible on agents.shared_agent_grants is 'Grants where the current tenant is the owner or the grantee';
comment on policy owner_all on agents.shared_agents is 'The owner role (migrations, security definer functions) sees and writes every row';
comment on policy owner_all on agents.shared_agent_grants is 'The owner role (migrations, security definer functions) sees and writes every row';

alter table agents.agents add column source_tenant_id uuid;
alter table agents.agents add column source_agent_id uuid;
-- lint: allow S003 both columns were added by this migration and are null in every row
alter table agents.agents add constraint agents_source_tenant_id_source_agent_id_fkey
foreign key (source_tenant_id, source_agent_id) references agents.shared_agents (owner_tenant_id, agent_id);
-- lint: allow S003 both columns were added by this migration and are null in every row
alter table agents.agents add constraint agents_source_check check (
    (source_tenant_id is null) = (source_agent_id is null) and source_tenant_id is distinct from tenant_id
);
alter table agents.agents add constraint agents_source_tenant_id_source_agent_id_tenant_id_key
unique (source_tenant_id, source_agent_id, tenant_id);

comment on column agents.agents.source_tenant_id is 'For an installation of a shared agent: the tenant that owns it (with source_agent_id; null for the tenant''s own agents)';
comment on column agents.agents.source_agent_id is 'For an installation of a shared agent: its id in agents.shared_agents; at most one installation per organization';
comment on constraint agents_source_tenant_id_source_agent_id_tenant_id_key on agents.agents is 'One installation per organization and shared agent; supports the foreign key';

-- what agents.agent_grants held: granted agents and public ones are published, grants kept,
-- and each grantee gets its installation
insert into agents.shared_agents (
    owner_tenant_id, agent_id, visibility, slug, name, description, role, model, model_config, instructions,
    backstory, personality, specialties, primary_goal, secondary_goals
)
select a.tenant_id, a.id, a.visibility, a.slug, a.name, a.description, a.role, a.model, a.model_config,
       a.instructions, a.backstory, a.personality, a.specialties, a.primary_goal, a.secondary_goals
  from agents.agents as a
 where a.visibility = 'public'
    or a.visibility = 'private'
   and exists (select 1 from agents.agent_grants as g where g.tenant_id = a.tenant_id and g.agent_id = a.id);

insert into agents.shared_agent_grants (owner_tenant_id, agent_id, grantee_tenant_id, granted_by_user_id, granted_at)
select g.tenant_id, g.agent_id, g.grantee_tenant_id, g.granted_by_user_id, g.created_at
  from agents.agent_grants as g
 inner join agents.shared_agents as s on g.tenant_id = s.owner_tenant_id and g.agent_id = s.agent_id;

insert into agents.agents (
    tenant_id, slug, name, description, role, model, model_config, instructions, backstory, personality,
    specialties, primary_goal, secondary_goals, visibility, source_tenant_id, source_agent_id
)
select g.grantee_tenant_id,
       case when not exists (select 1 from agents.agents as x where x.tenant_id = g.grantee_tenant_id and x.slug = s.slug)
            then s.slug end as slug,
       s.name, s.description, s.role, s.model, s.model_config, s.instructions, s.backstory, s.personality,
       s.specialties, s.primary_goal, s.secondary_goals, 'private' as visibility, s.owner_tenant_id, s.agent_id
  from agents.shared_agent_grants as g
 inner join agents.shared_agents as s on g.owner_tenant_id = s.owner_tenant_id and g.agent_id = s.agent_id;

drop policy agents_shared on agents.agents;
drop table agents.agent_grants;

-- no new use of a shared agent once its tenant may no longer use it
create trigger _300_check_agent_use_insert after insert on chat.conversations
referencing new table as new_rows
for each statement execute function agents.tg_check_agent_use('agent_id');
create trigger _300_check_agent_use_insert after insert on chat.messages
referencing new table as new_rows
for each statement execute function agents.tg_check_agent_use('agent_id');
create trigger _300_check_agent_use_insert after insert on chat.context_spans
referencing new table as new_rows
for each statement execute function agents.tg_check_agent_use('agent_id');
create trigger _300_check_agent_use_insert after insert on agents.agent_states
referencing new table as new_rows
for each statement execute function agents.tg_check_agent_use('agent_id');
create trigger _300_check_agent_use_update after update on agents.agent_states
referencing new table as new_rows
for each statement execute function agents.tg_check_agent_use('agent_id');
