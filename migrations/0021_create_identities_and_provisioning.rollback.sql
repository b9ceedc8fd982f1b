-- Undo 0021_create_identities_and_provisioning. The role stays (cluster-wide; it may serve
-- other databases): drop it by hand with drop owned / drop role.
-- cascade also drops the repeatable functions that read these objects (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
alter table core.users drop constraint users_identity_id_tenant_id_key;
alter table core.users drop constraint users_identity_id_fkey;
alter table core.users drop column identity_id cascade;
drop table core.identities cascade;
do $block$
begin
    execute pg_catalog.format('revoke usage on schema core from %I',
                              (select r.name from ops.roles as r where r.kind = 'provisioning'));
end
$block$;
delete from ops.roles where kind = 'provisioning';
alter table ops.roles drop constraint roles_kind_check, add constraint roles_kind_check check (
    kind in ('owner', 'app', 'readonly')
);
comment on table ops.roles is 'The database roles agentdb made, by kind: owner (owns every object, runs migrations), app (reads and writes under row-level security), readonly (reads under row-level security)';
comment on column ops.roles.kind is 'owner, app or readonly';
