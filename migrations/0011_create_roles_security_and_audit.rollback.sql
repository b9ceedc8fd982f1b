-- Undo 0011_create_roles_security_and_audit. The roles stay: they are cluster-wide and
-- may serve other databases (drop them by hand with drop owned / drop role).
-- cascade also drops the repeatable functions that read these tables (agentdb status shows
-- them as missing); the next agentdb migrate re-creates them.
drop policy conversations_private on chat.conversations;
drop policy agents_hidden on agents.agents;
drop policy agents_shared on agents.agents;
drop trigger _950_audit on ops.partition_policies;
drop trigger _950_audit on ops.retention_policies;
drop trigger _950_audit on memory.documents;
drop trigger _950_audit on agents.agent_grants;
drop trigger _950_audit on agents.agents;
drop trigger _950_audit on core.users;
drop trigger _950_audit on core.tenants;
delete from ops.partition_policies where table_name = 'ops.audit_log';
drop table ops.audit_log cascade;
do $block$
declare
    v_table regclass;
begin
    for v_table in
        select c.oid::regclass from pg_catalog.pg_class as c
         where c.relrowsecurity and c.relnamespace::regnamespace::text in
               ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
    loop
        execute pg_catalog.format('drop policy if exists tenant_isolation on %s', v_table);
        execute pg_catalog.format('drop policy if exists owner_all on %s', v_table);
        execute pg_catalog.format('alter table %s no force row level security', v_table);
        execute pg_catalog.format('alter table %s disable row level security', v_table);
    end loop;
end
$block$;
drop table ops.roles cascade;
