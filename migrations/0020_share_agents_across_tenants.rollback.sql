-- Undo 0020_share_agents_across_tenants: agents.agent_grants comes back holding the grants
-- that were not revoked, with the agents_shared policy. Installations stay, as their
-- organizations' own agents, so nothing they made with them is lost.
drop trigger _300_check_agent_use_update on agents.agent_states;
drop trigger _300_check_agent_use_insert on agents.agent_states;
drop trigger _300_check_agent_use_insert on chat.context_spans;
drop trigger _300_check_agent_use_insert on chat.messages;
drop trigger _300_check_agent_use_insert on chat.conversations;

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

create trigger _950_audit after insert or update or delete on agents.agent_grants
for each row execute function ops.tg_audit();
select ops.enable_tenant_rls('agents.agent_grants');

insert into agents.agent_grants (tenant_id, agent_id, grantee_tenant_id, granted_by_user_id, created_at)
select g.owner_tenant_id, g.agent_id, g.grantee_tenant_id,
       (select u.id from core.users as u where u.tenant_id = g.owner_tenant_id and u.id = g.granted_by_user_id)
           as granted_by_user_id,
       g.granted_at
  from agents.shared_agent_grants as g
 where g.revoked_at is null
   and exists (select 1 from agents.agents as a where a.tenant_id = g.owner_tenant_id and a.id = g.agent_id);

alter table agents.agents drop constraint agents_source_tenant_id_source_agent_id_tenant_id_key;
alter table agents.agents drop constraint agents_source_check;
alter table agents.agents drop constraint agents_source_tenant_id_source_agent_id_fkey;
alter table agents.agents drop column source_agent_id;
alter table agents.agents drop column source_tenant_id;
drop policy shared_agents_visible on agents.shared_agents;
drop table agents.shared_agent_grants;
drop table agents.shared_agents;

-- agents.is_granted as it was before 0020 (the current one reads the shared tables); it is
-- marked not applied, so agentdb status shows it and the next agentdb migrate applies
-- whatever sql/functions/agents.is_granted.sql then says
create or replace function agents.is_granted(p_agent_tenant_id uuid, p_agent_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
begin atomic
    select exists(
        select 1 from agents.agent_grants as g
         where g.tenant_id = p_agent_tenant_id and g.agent_id = p_agent_id
           and g.grantee_tenant_id = ops.current_tenant_id()
    );
end;
delete from agentdb_meta.repeatable_objects where name = 'agents.is_granted';

do $block$
declare
    v_app text := (select r.name from ops.roles as r where r.kind = 'app');
    v_readonly text := (select r.name from ops.roles as r where r.kind = 'readonly');
begin
    execute pg_catalog.format(
        'create policy agents_shared on agents.agents for select to %I, %I '
        'using (ops.current_tenant_id() is not null and (visibility = ''public'' or agents.is_granted(tenant_id, id)))',
        v_app, v_readonly);
    execute pg_catalog.format('grant select, insert, update, delete on agents.agent_grants to %I', v_app);
    execute pg_catalog.format('grant select on agents.agent_grants to %I', v_readonly);
end
$block$;
comment on policy agents_shared on agents.agents is 'With a tenant set: public agents of every organization, private ones of organizations that granted them (AJ); without a tenant, none';
