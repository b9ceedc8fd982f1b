-- Create core: tenants (with the personal default tenant), users, user sessions,
-- projects and characters. Every tenant-scoped key leads with tenant_id (Citus-ready).
-- requires: ops.tg_set_updated_at

create table core.tenants (
    id uuid not null default ops.uuidv7(),
    slug text not null,
    name text not null,
    kind text not null default 'organization',
    external_id text,
    settings jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint tenants_pkey primary key (id),
    constraint tenants_slug_key unique (slug),
    constraint tenants_external_id_key unique (external_id),
    constraint tenants_slug_check check (slug ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    constraint tenants_kind_check check (kind in ('organization', 'personal')),
    constraint tenants_settings_check check (jsonb_typeof(settings) = 'object')
);

comment on table core.tenants is 'An organization (AJ Copilot, via its auth provider) or a personal space (ikigai, a single-user install); every tenant-scoped row belongs to one';
comment on column core.tenants.id is 'Time-ordered id (ops.uuidv7); the personal default tenant is 00000000-0000-7000-8000-000000000001';
comment on column core.tenants.slug is 'Short unique name used on the command line (--tenant SLUG): lowercase letters, digits, _ and -';
comment on column core.tenants.name is 'Display name';
comment on column core.tenants.kind is 'organization or personal';
comment on column core.tenants.external_id is 'Id of the organization in the external auth provider (e.g. a Clerk org id); unique when set';
comment on column core.tenants.settings is 'Free-form tenant settings as a JSON object';
comment on column core.tenants.created_at is 'When the tenant was created';
comment on column core.tenants.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column core.tenants.archived_at is 'Soft delete: set when the tenant was archived';

create trigger _100_set_updated_at before update on core.tenants
for each row execute function ops.tg_set_updated_at();

insert into core.tenants (id, slug, name, kind)
values ('00000000-0000-7000-8000-000000000001', 'personal', 'Personal', 'personal');

create table core.users (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    external_id text,
    email text,
    username text,
    display_name text,
    password_hash text,
    is_active boolean not null default true,
    is_admin boolean not null default false,
    role text,
    context text,
    preferences jsonb not null default '{}'::jsonb,
    custom_instructions text,
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint users_pkey primary key (tenant_id, id),
    constraint users_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint users_tenant_id_external_id_key unique (tenant_id, external_id),
    constraint users_email_check check (email ~ '^[^@\s]+@[^@\s]+$'),
    constraint users_username_check check (username ~ '^\S{1,64}$'),
    constraint users_identity_check check (coalesce(email, username, external_id) is not null),
    constraint users_password_hash_check check (
        password_hash ~ '^\$(2[abxy]\$[0-9]{2}\$[./A-Za-z0-9]{53}|argon2(id|i|d)\$.+|scrypt\$.+|pbkdf2-sha(256|512)\$.+)$'
    ),
    constraint users_preferences_check check (jsonb_typeof(preferences) = 'object')
);

create unique index users_tenant_id_lower_email_key on core.users (tenant_id, lower(email)) where email is not null;
create unique index users_tenant_id_lower_username_key on core.users (tenant_id, lower(username))
where username is not null;

comment on table core.users is 'People who use the systems: members of an organization, the owner of a personal tenant, game players; with the admin profile of cirkelline';
comment on column core.users.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column core.users.id is 'Time-ordered id (ops.uuidv7)';
comment on column core.users.external_id is 'Id in the external auth provider (e.g. a Clerk user id); unique per tenant';
comment on column core.users.email is 'Login email; unique per tenant, case-insensitively';
comment on column core.users.username is 'Login or display handle (ikigai $USER, a game player name); unique per tenant, case-insensitively';
comment on column core.users.display_name is 'Name to show';
comment on column core.users.password_hash is 'Password hash only (bcrypt, argon2, scrypt or pbkdf2 in modular crypt format), made by the client; a plain value is refused';
comment on column core.users.is_active is 'Account enabled';
comment on column core.users.is_admin is 'Has the admin profile (cirkelline admin_profiles)';
comment on column core.users.role is 'Job title or role, for agents to address the user (cirkelline admin profile)';
comment on column core.users.context is 'Personal context for AI agents';
comment on column core.users.preferences is 'Communication style and other preferences, a JSON object';
comment on column core.users.custom_instructions is 'How agents should respond to this user';
comment on column core.users.last_login_at is 'Most recent login';
comment on column core.users.created_at is 'When the user was created';
comment on column core.users.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column core.users.archived_at is 'Soft delete: set when the user was archived';
comment on index core.users_tenant_id_lower_email_key is 'Email unique per tenant, case-insensitively';
comment on index core.users_tenant_id_lower_username_key is 'Username unique per tenant, case-insensitively';

create trigger _100_set_updated_at before update on core.users
for each row execute function ops.tg_set_updated_at();

create table core.user_sessions (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    user_id uuid not null,
    token_hash text not null,
    device jsonb not null default '{}'::jsonb,
    ip_address inet,
    user_agent text,
    status text not null default 'active',
    started_at timestamptz not null default now(),
    last_activity_at timestamptz not null default now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    updated_at timestamptz not null default now(),
    constraint user_sessions_pkey primary key (tenant_id, id),
    constraint user_sessions_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint user_sessions_tenant_id_token_hash_key unique (tenant_id, token_hash),
    constraint user_sessions_token_hash_check check (token_hash ~ '^(sha256:)?[0-9a-f]{64}$'),
    constraint user_sessions_status_check check (status in ('active', 'expired', 'revoked')),
    constraint user_sessions_expires_at_check check (expires_at > started_at),
    constraint user_sessions_revoked_check check ((status = 'revoked') = (revoked_at is not null))
);

create index user_sessions_tenant_id_user_id_started_at_idx
on core.user_sessions (tenant_id, user_id, started_at desc);

comment on table core.user_sessions is 'Login sessions of users (Tokyo-IA user_sessions); the token itself is never stored, only its sha256';
comment on column core.user_sessions.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column core.user_sessions.id is 'Time-ordered id (ops.uuidv7)';
comment on column core.user_sessions.user_id is 'The user the session belongs to';
comment on column core.user_sessions.token_hash is 'sha256 of the session token, 64 hex digits (optionally prefixed sha256:); the token is hashed by the client';
comment on column core.user_sessions.device is 'Device information as JSON';
comment on column core.user_sessions.ip_address is 'Client IP address';
comment on column core.user_sessions.user_agent is 'Client user agent string';
comment on column core.user_sessions.status is 'active, expired or revoked';
comment on column core.user_sessions.started_at is 'When the session began';
comment on column core.user_sessions.last_activity_at is 'Last request seen on the session';
comment on column core.user_sessions.expires_at is 'When the session stops being valid';
comment on column core.user_sessions.revoked_at is 'When the session was revoked (set exactly when status is revoked)';
comment on column core.user_sessions.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on index core.user_sessions_tenant_id_user_id_started_at_idx is 'A user''s sessions, newest first';

create trigger _100_set_updated_at before update on core.user_sessions
for each row execute function ops.tg_set_updated_at();

create table core.projects (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    name text not null,
    git_remote text,
    description text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint projects_pkey primary key (tenant_id, id),
    constraint projects_tenant_id_fkey foreign key (tenant_id) references core.tenants (id) on delete cascade,
    constraint projects_tenant_id_name_key unique (tenant_id, name),
    constraint projects_name_check check (name ~ '^\S.{0,199}$')
);

create index projects_tenant_id_git_remote_idx on core.projects (tenant_id, git_remote);

comment on table core.projects is 'A logical grouping of work (ikigai): by default the repository name from the git remote, or @username outside a repository';
comment on column core.projects.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column core.projects.id is 'Time-ordered id (ops.uuidv7)';
comment on column core.projects.name is 'Project name, unique per tenant (e.g. ikigai, @mgreenly)';
comment on column core.projects.git_remote is 'Remote URL the name was derived from, when there is one';
comment on column core.projects.description is 'What the project is';
comment on column core.projects.created_at is 'When the project was first seen';
comment on column core.projects.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column core.projects.archived_at is 'Soft delete: set when the project was archived';
comment on index core.projects_tenant_id_git_remote_idx is 'Find a project by its remote';

create trigger _100_set_updated_at before update on core.projects
for each row execute function ops.tg_set_updated_at();

create table core.characters (
    tenant_id uuid not null,
    id uuid not null default ops.uuidv7(),
    user_id uuid not null,
    name text not null,
    attributes jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz,
    constraint characters_pkey primary key (tenant_id, id),
    constraint characters_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
    references core.users (tenant_id, id) on delete cascade,
    constraint characters_tenant_id_user_id_name_key unique (tenant_id, user_id, name),
    constraint characters_attributes_check check (jsonb_typeof(attributes) = 'object')
);

comment on table core.characters is 'Player characters in a game world (Heartwood Valley), owned by a user';
comment on column core.characters.tenant_id is 'Owning tenant; leads every key so rows co-locate by tenant';
comment on column core.characters.id is 'Time-ordered id (ops.uuidv7)';
comment on column core.characters.user_id is 'The player who owns the character';
comment on column core.characters.name is 'Character name, unique per player';
comment on column core.characters.attributes is 'Game attributes as a JSON object';
comment on column core.characters.created_at is 'When the character was created';
comment on column core.characters.updated_at is 'When the row last changed (trigger _100_set_updated_at)';
comment on column core.characters.archived_at is 'Soft delete: set when the character was archived';

create trigger _100_set_updated_at before update on core.characters
for each row execute function ops.tg_set_updated_at();
