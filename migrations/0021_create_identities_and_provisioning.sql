-- Tenant provisioning for services (docs/decisions.md, "Tenant provisioning"): a fourth
-- role, provisioning (name from the setting agentdb.provisioning_role, [tool.agentdb]
-- provisioning_role; default agentdb_provisioning), that may only execute the
-- core.provision_* functions; core.identities, one row per person per identity provider
-- (global: a Citus reference table), which the per-tenant users reference, so a person in
-- several organizations is one identity with one user row (membership) in each.
-- requires: ops.tg_set_updated_at ops.tg_audit

-- lint: allow S003 ops.roles holds three rows; the check is replaced by a wider one
alter table ops.roles drop constraint roles_kind_check, add constraint roles_kind_check check (
    kind in ('owner', 'app', 'readonly', 'provisioning')
);
comment on table ops.roles is 'The database roles agentdb made, by kind: owner (owns every object, runs migrations), app (reads and writes under row-level security), readonly (reads under row-level security), provisioning (creates tenants and memberships through the core.provision_* functions only)';
comment on column ops.roles.kind is 'owner, app, readonly or provisioning';

insert into ops.roles (kind, name) values
('provisioning', coalesce(nullif(current_setting('agentdb.provisioning_role', true), ''), 'agentdb_provisioning'));

do $block$
declare
    v_name text := (select r.name from ops.roles as r where r.kind = 'provisioning');
begin
    if not exists (select 1 from pg_catalog.pg_roles as x where x.rolname = v_name) then
        execute pg_catalog.format('create role %I nologin', v_name);
    end if;
    execute pg_catalog.format('grant usage on schema core to %I', v_name);
end
$block$;

create table core.identities (
    id uuid not null default ops.uuidv7(),
    provider text not null,
    external_id text not null,
    email text,
    display_name text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint identities_pkey primary key (id),
    constraint identities_provider_external_id_key unique (provider, external_id),
    constraint identities_provider_check check (provider ~ '^[a-z][a-z0-9_-]{0,31}$'),
    constraint identities_external_id_check check (external_id ~ '^\S{1,255}$'),
    constraint identities_email_check check (email ~ '^[^@\s]+@[^@\s]+$')
);

comment on table core.identities is 'A person as an external identity provider knows them (a Clerk user), once, whatever organizations they belong to; each membership is a core.users row of that tenant with identity_id. Global (a Citus reference table); written by the core.provision_* functions, read by the owner only';
comment on column core.identities.id is 'Time-ordered id (ops.uuidv7)';
comment on column core.identities.provider is 'Identity provider (clerk, auth0, ...), lowercase';
comment on column core.identities.external_id is 'The person''s id at the provider (e.g. user_2abc); unique per provider';
comment on column core.identities.email is 'Primary email at the provider, when known';
comment on column core.identities.display_name is 'Name at the provider, when known';
comment on column core.identities.created_at is 'When the identity was first provisioned';
comment on column core.identities.updated_at is 'When the row last changed (trigger _100_set_updated_at)';

create trigger _100_set_updated_at before update on core.identities
for each row execute function ops.tg_set_updated_at();
create trigger _950_audit after insert or update or delete on core.identities
for each row execute function ops.tg_audit();

-- only the owner reads or writes identities (row-level security forced, no other policy)
alter table core.identities enable row level security;
alter table core.identities force row level security;
do $block$
begin
    execute pg_catalog.format('create policy owner_all on core.identities to %I using (true) with check (true)',
                              (select r.name from ops.roles as r where r.kind = 'owner'));
end
$block$;
comment on policy owner_all on core.identities is 'The owner role (migrations, security definer functions) sees and writes every row; no other role reads identities';

alter table core.users add column identity_id uuid;
-- lint: allow S003 the column was added by this migration and is null in every row
alter table core.users add constraint users_identity_id_fkey foreign key (identity_id)
references core.identities (id) on delete set null;
alter table core.users add constraint users_identity_id_tenant_id_key unique (identity_id, tenant_id);
comment on column core.users.identity_id is 'The person (core.identities) this user row is a membership of; one per tenant; null for users not provisioned from an identity provider';
comment on constraint users_identity_id_tenant_id_key on core.users is 'One membership per person and tenant; supports the foreign key';
