-- Create agents: agents with persona and visibility, per-organization grants, knowledge
-- sources, quick tasks, agent state, relationships, schedules and plans.
-- requires: ops.tg_set_updated_at

create table agents.agents (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
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
    status text not null default 'active',
    visibility text not null default 'private',
    owner_user_id uuid,
    project_id uuid,
    branch text,
    worktree_path text,
    metadata jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint agents_pkey primary key (tenant_id, id),
    constraint agents_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint agents_tenant_id_owner_user_id_fkey foreign key (tenant_id, owner_user_id)
    references core.users (tenant_id, id) on delete set null (owner_user_id),
    constraint agents_tenant_id_project_id_fkey foreign key (tenant_id, project_id)
    references core.projects (tenant_id, id) on delete set null (project_id),
    constraint agents_tenant_id_slug_key unique (tenant_id, slug),
    constraint agents_status_check check (status in ('active', 'inactive', 'maintenance', 'stopped')),
    constraint agents_visibility_check check (visibility in ('public', 'private', 'hidden')),
    constraint agents_personality_check check (jsonb_typeof(personality) = 'object'),
    constraint agents_model_config_check check (jsonb_typeof(model_config) = 'object'),
    constraint agents_metadata_check check (jsonb_typeof(metadata) = 'object')
);

create index agents_tenant_id_status_idx on agents.agents (tenant_id, status);
create index agents_tenant_id_owner_user_id_idx on agents.agents (tenant_id, owner_user_id);
create index agents_tenant_id_project_id_idx on agents.agents (tenant_id, project_id);
create index agents_visibility_idx on agents.agents (visibility) where visibility = 'public';

comment on table agents.agents is 'An AI agent: persona (name, role, model, instructions, backstory, personality, specialties), status, visibility and owner; first-class and not tied to any client';
comment on column agents.agents.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.agents.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.agents.slug is 'Stable handle chosen by the client (e.g. akira-001, elara_blacksmith); unique per tenant';
comment on column agents.agents.name is 'Display name';
comment on column agents.agents.description is 'What the agent is for';
comment on column agents.agents.role is 'Primary function (e.g. code_review, blacksmith)';
comment on column agents.agents.model is 'LLM model identifier (e.g. claude-opus-4.1)';
comment on column agents.agents.model_config is 'Model settings (temperature, max tokens, ...) as a JSON object';
comment on column agents.agents.instructions is 'System instructions (AJ persona)';
comment on column agents.agents.backstory is 'Background and constitution (Tokyo backstory, Heartwood constitution and background)';
comment on column agents.agents.personality is 'Personality as JSON: traits, likes, dislikes, emoji';
comment on column agents.agents.specialties is 'Areas of expertise';
comment on column agents.agents.primary_goal is 'The goal that drives the agent (Heartwood)';
comment on column agents.agents.secondary_goals is 'Further goals (Heartwood)';
comment on column agents.agents.status is 'active, inactive, maintenance or stopped';
comment on column agents.agents.visibility is 'public: every organization sees it; private: its own tenant and granted organizations; hidden: only its owner';
comment on column agents.agents.owner_user_id is 'User who created or owns the agent';
comment on column agents.agents.project_id is 'Project the agent was created in (ikigai), if any';
comment on column agents.agents.branch is 'Git branch the agent works on (ikigai)';
comment on column agents.agents.worktree_path is 'Worktree path the agent works in (ikigai)';
comment on column agents.agents.metadata is 'Additional configuration as a JSON object';
comment on column agents.agents.created_at is 'When the agent was created';
comment on column agents.agents.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column agents.agents.archived_at is 'Soft delete: set when the agent was archived';
comment on index agents.agents_tenant_id_status_idx is 'Active agents of a tenant';
comment on index agents.agents_tenant_id_owner_user_id_idx is 'Supports the owner foreign key';
comment on index agents.agents_tenant_id_project_id_idx is 'Supports the project foreign key; agents of a project';
comment on index agents.agents_visibility_idx is 'Public agents, which every organization sees';

create trigger _100_set_updated_at before update on agents.agents
for each row execute function ops.tg_set_updated_at();

create table agents.agent_grants (
    tenant_id uuid not null,
    agent_id uuid not null,
    grantee_tenant_id uuid not null,
    granted_by_user_id uuid,
    created_at timestamptz not null default now(),
    constraint agent_grants_pkey primary key (tenant_id, agent_id, grantee_tenant_id),
    constraint agent_grants_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint agent_grants_grantee_tenant_id_fkey foreign key (grantee_tenant_id)
    references core.tenants (id) on delete cascade,
    constraint agent_grants_tenant_id_granted_by_user_id_fkey foreign key (tenant_id, granted_by_user_id)
    references core.users (tenant_id, id) on delete set null (granted_by_user_id),
    constraint agent_grants_other_tenant_check check (grantee_tenant_id <> tenant_id)
);

create index agent_grants_grantee_tenant_id_idx on agents.agent_grants (grantee_tenant_id);
create index agent_grants_tenant_id_granted_by_user_id_idx on agents.agent_grants (tenant_id, granted_by_user_id);

comment on table agents.agent_grants is 'Per-organization access to a private agent of another tenant (AJ organization_agents); kept in the agent''s tenant';
comment on column agents.agent_grants.tenant_id is 'Tenant that owns the agent; leads every key';
comment on column agents.agent_grants.agent_id is 'The agent shared';
comment on column agents.agent_grants.grantee_tenant_id is 'Organization given access';
comment on column agents.agent_grants.granted_by_user_id is 'User who granted it';
comment on column agents.agent_grants.created_at is 'When access was granted';
comment on index agents.agent_grants_grantee_tenant_id_idx is 'Agents granted to an organization';
comment on index agents.agent_grants_tenant_id_granted_by_user_id_idx is 'Supports the granted-by foreign key';

create table agents.knowledge_sources (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    kind text not null,
    name text not null,
    uri text,
    config jsonb not null default '{}'::jsonb,
    embedding_model text,
    status text not null default 'pending',
    last_indexed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint knowledge_sources_pkey primary key (tenant_id, id),
    constraint knowledge_sources_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint knowledge_sources_kind_check check (kind in ('file', 'url', 'text', 'database', 'api', 'folder')),
    constraint knowledge_sources_status_check check (status in ('pending', 'indexing', 'ready', 'failed', 'disabled')),
    constraint knowledge_sources_config_check check (jsonb_typeof(config) = 'object')
);

create index knowledge_sources_tenant_id_agent_id_idx on agents.knowledge_sources (tenant_id, agent_id);

comment on table agents.knowledge_sources is 'Where an agent''s RAG knowledge comes from (AJ agent_knowledge_sources): files, URLs, text, databases, APIs';
comment on column agents.knowledge_sources.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.knowledge_sources.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.knowledge_sources.agent_id is 'Agent the source feeds';
comment on column agents.knowledge_sources.kind is 'file, url, text, database, api or folder';
comment on column agents.knowledge_sources.name is 'Display name';
comment on column agents.knowledge_sources.uri is 'Location of the source (path, URL, connection name)';
comment on column agents.knowledge_sources.config is 'Source settings (chunking, refresh, credentials reference) as a JSON object';
comment on column agents.knowledge_sources.embedding_model is 'Name of the embedding model its chunks use';
comment on column agents.knowledge_sources.status is 'pending, indexing, ready, failed or disabled';
comment on column agents.knowledge_sources.last_indexed_at is 'When it was last indexed';
comment on column agents.knowledge_sources.created_at is 'When the source was added';
comment on column agents.knowledge_sources.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.knowledge_sources_tenant_id_agent_id_idx is 'Sources of an agent; supports the agent foreign key';

create trigger _100_set_updated_at before update on agents.knowledge_sources
for each row execute function ops.tg_set_updated_at();

create table agents.quick_tasks (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    title text not null,
    prompt text not null,
    description text,
    icon text,
    position integer not null default 0,
    schedule text,
    is_enabled boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint quick_tasks_pkey primary key (tenant_id, id),
    constraint quick_tasks_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint quick_tasks_position_check check (position >= 0),
    constraint quick_tasks_schedule_check check (schedule ~ '^(\S+\s+){4}\S+$')
);

create index quick_tasks_tenant_id_agent_id_position_idx on agents.quick_tasks (tenant_id, agent_id, position);

comment on table agents.quick_tasks is 'Pre-prompted tasks an agent offers (AJ agent_quick_tasks), optionally on a cron schedule';
comment on column agents.quick_tasks.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.quick_tasks.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.quick_tasks.agent_id is 'Agent that runs the task';
comment on column agents.quick_tasks.title is 'Button label';
comment on column agents.quick_tasks.prompt is 'The prompt sent to the agent';
comment on column agents.quick_tasks.description is 'What the task does';
comment on column agents.quick_tasks.icon is 'Icon name or emoji';
comment on column agents.quick_tasks.position is 'Display order, 0 first';
comment on column agents.quick_tasks.schedule is 'Five-field cron expression when the task runs by itself';
comment on column agents.quick_tasks.is_enabled is 'Shown and scheduled';
comment on column agents.quick_tasks.created_at is 'When the task was added';
comment on column agents.quick_tasks.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.quick_tasks_tenant_id_agent_id_position_idx is 'An agent''s tasks in display order; supports the agent foreign key';

create trigger _100_set_updated_at before update on agents.quick_tasks
for each row execute function ops.tg_set_updated_at();

create table agents.agent_states (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    user_id uuid,
    state jsonb not null default '{}'::jsonb,
    position_x double precision,
    position_y double precision,
    direction text,
    location text,
    current_action text,
    action_started_at timestamptz,
    interaction_target text,
    mood text,
    emotional_state jsonb not null default '{}'::jsonb,
    physical_state jsonb not null default '{}'::jsonb,
    energy smallint,
    cognitive_load smallint,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint agent_states_pkey primary key (tenant_id, id),
    constraint agent_states_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint agent_states_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint agent_states_tenant_id_agent_id_user_id_key unique nulls not distinct (tenant_id, agent_id, user_id),
    constraint agent_states_energy_check check (energy between 0 and 100),
    constraint agent_states_cognitive_load_check check (cognitive_load between 0 and 100),
    constraint agent_states_direction_check check (direction in ('up', 'down', 'left', 'right', 'north', 'south', 'east', 'west')),
    constraint agent_states_state_check check (jsonb_typeof(state) = 'object')
);

create index agent_states_tenant_id_user_id_idx on agents.agent_states (tenant_id, user_id);
create index agent_states_location_idx on agents.agent_states (tenant_id, position_x, position_y);

comment on table agents.agent_states is 'Persistent state of an agent: per user and agent (AJ, user_id set), or the agent''s own live state in a world (Heartwood, user_id null): position, action, mood, energy';
comment on column agents.agent_states.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.agent_states.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.agent_states.agent_id is 'The agent';
comment on column agents.agent_states.user_id is 'The user this state is kept for; null for the agent''s own state (at most one of each per agent)';
comment on column agents.agent_states.state is 'Free-form persistent state as a JSON object (AJ)';
comment on column agents.agent_states.position_x is 'World x coordinate';
comment on column agents.agent_states.position_y is 'World y coordinate';
comment on column agents.agent_states.direction is 'Facing: up, down, left, right or a compass point';
comment on column agents.agent_states.location is 'Named place (e.g. blacksmith_shop)';
comment on column agents.agent_states.current_action is 'What the agent is doing now';
comment on column agents.agent_states.action_started_at is 'When the current action began';
comment on column agents.agent_states.interaction_target is 'Who or what the agent is interacting with';
comment on column agents.agent_states.mood is 'Current mood word';
comment on column agents.agent_states.emotional_state is 'Emotions as JSON';
comment on column agents.agent_states.physical_state is 'Physical condition as JSON';
comment on column agents.agent_states.energy is 'Energy level 0..100';
comment on column agents.agent_states.cognitive_load is 'Cognitive load 0..100';
comment on column agents.agent_states.created_at is 'When the state was first saved';
comment on column agents.agent_states.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.agent_states_tenant_id_user_id_idx is 'A user''s agent states; supports the user foreign key';
comment on index agents.agent_states_location_idx is 'Agents near a position (Heartwood idx_states_location)';

create trigger _100_set_updated_at before update on agents.agent_states
for each row execute function ops.tg_set_updated_at();

create table agents.relationships (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    other_agent_id uuid,
    character_id uuid,
    relationship_type text not null default 'acquaintance',
    affection smallint not null default 0,
    trust smallint not null default 50,
    interaction_count integer not null default 0,
    last_interaction_at timestamptz,
    notes text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint relationships_pkey primary key (tenant_id, id),
    constraint relationships_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint relationships_tenant_id_other_agent_id_fkey foreign key (tenant_id, other_agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint relationships_tenant_id_character_id_fkey foreign key (tenant_id, character_id)
    references core.characters (tenant_id, id) on delete cascade,
    constraint relationships_tenant_id_agent_id_other_agent_id_key unique (tenant_id, agent_id, other_agent_id),
    constraint relationships_tenant_id_agent_id_character_id_key unique (tenant_id, agent_id, character_id),
    constraint relationships_target_check check (num_nonnulls(other_agent_id, character_id) = 1),
    constraint relationships_not_self_check check (other_agent_id <> agent_id),
    constraint relationships_relationship_type_check check (
        relationship_type in ('friend', 'colleague', 'rival', 'romantic', 'family', 'acquaintance', 'mentor', 'enemy')
    ),
    constraint relationships_affection_check check (affection between -100 and 100),
    constraint relationships_trust_check check (trust between 0 and 100),
    constraint relationships_interaction_count_check check (interaction_count >= 0)
);

create index relationships_tenant_id_other_agent_id_idx on agents.relationships (tenant_id, other_agent_id);
create index relationships_tenant_id_character_id_idx on agents.relationships (tenant_id, character_id);

comment on table agents.relationships is 'How an agent relates to another agent or to a player character (Heartwood): type, affection -100..100, trust 0..100, interactions';
comment on column agents.relationships.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.relationships.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.relationships.agent_id is 'The agent whose view of the relationship this is';
comment on column agents.relationships.other_agent_id is 'The other agent (exactly one of other_agent_id, character_id)';
comment on column agents.relationships.character_id is 'The player character (exactly one of other_agent_id, character_id)';
comment on column agents.relationships.relationship_type is 'friend, colleague, rival, romantic, family, acquaintance, mentor or enemy';
comment on column agents.relationships.affection is 'Emotional connection, -100..100';
comment on column agents.relationships.trust is 'Reliability assessment, 0..100';
comment on column agents.relationships.interaction_count is 'How many interactions so far';
comment on column agents.relationships.last_interaction_at is 'When they last interacted';
comment on column agents.relationships.notes is 'Shared history in words';
comment on column agents.relationships.created_at is 'When the relationship was first recorded';
comment on column agents.relationships.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.relationships_tenant_id_other_agent_id_idx is 'Who relates to an agent; supports the foreign key';
comment on index agents.relationships_tenant_id_character_id_idx is 'Who relates to a character; supports the foreign key';

create trigger _100_set_updated_at before update on agents.relationships
for each row execute function ops.tg_set_updated_at();

create table agents.schedules (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    day_of_week smallint not null,
    start_time time not null,
    end_time time not null,
    activity text not null,
    location text,
    priority smallint not null default 5,
    is_flexible boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint schedules_pkey primary key (tenant_id, id),
    constraint schedules_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint schedules_day_of_week_check check (day_of_week between 0 and 6),
    constraint schedules_time_check check (start_time < end_time),
    constraint schedules_priority_check check (priority between 1 and 10)
);

create index schedules_tenant_id_agent_id_day_of_week_start_time_idx
on agents.schedules (tenant_id, agent_id, day_of_week, start_time);

comment on table agents.schedules is 'An agent''s routine (Heartwood agent_schedules): what it does, where, on which weekday and hours';
comment on column agents.schedules.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.schedules.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.schedules.agent_id is 'The agent';
comment on column agents.schedules.day_of_week is '0 = Sunday .. 6 = Saturday, as extract(dow from ...)';
comment on column agents.schedules.start_time is 'Start of the slot (before end_time)';
comment on column agents.schedules.end_time is 'End of the slot';
comment on column agents.schedules.activity is 'What the agent does';
comment on column agents.schedules.location is 'Where';
comment on column agents.schedules.priority is '1 (low) .. 10 (high)';
comment on column agents.schedules.is_flexible is 'May be moved by plans';
comment on column agents.schedules.created_at is 'When the slot was added';
comment on column agents.schedules.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.schedules_tenant_id_agent_id_day_of_week_start_time_idx is 'An agent''s day in order; supports the agent foreign key';

create trigger _100_set_updated_at before update on agents.schedules
for each row execute function ops.tg_set_updated_at();

create table agents.plans (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    agent_id uuid not null,
    goal text not null,
    steps jsonb not null default '[]'::jsonb,
    current_step integer not null default 0,
    status text not null default 'pending',
    priority smallint not null default 5,
    deadline timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint plans_pkey primary key (tenant_id, id),
    constraint plans_tenant_id_agent_id_fkey foreign key (tenant_id, agent_id)
    references agents.agents (tenant_id, id) on delete cascade,
    constraint plans_steps_check check (jsonb_typeof(steps) = 'array'),
    constraint plans_current_step_check check (current_step between 0 and jsonb_array_length(steps)),
    constraint plans_status_check check (status in ('pending', 'active', 'completed', 'abandoned', 'failed')),
    constraint plans_priority_check check (priority between 1 and 10)
);

create index plans_tenant_id_agent_id_status_idx on agents.plans (tenant_id, agent_id, status);

comment on table agents.plans is 'A goal an agent pursues with its steps (Heartwood agent_plans)';
comment on column agents.plans.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column agents.plans.id is 'Time-ordered id (ops.uuidv7)';
comment on column agents.plans.agent_id is 'The agent';
comment on column agents.plans.goal is 'What the plan achieves';
comment on column agents.plans.steps is 'The steps, a JSON array';
comment on column agents.plans.current_step is 'Index of the step in progress; equal to the number of steps when all are done';
comment on column agents.plans.status is 'pending, active, completed, abandoned or failed';
comment on column agents.plans.priority is '1 (low) .. 10 (high)';
comment on column agents.plans.deadline is 'When it should be done by';
comment on column agents.plans.created_at is 'When the plan was made';
comment on column agents.plans.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index agents.plans_tenant_id_agent_id_status_idx is 'An agent''s plans by status; supports the agent foreign key';

create trigger _100_set_updated_at before update on agents.plans
for each row execute function ops.tg_set_updated_at();
