-- Undo 0014_least_privilege_and_transaction_tenant: the agents_shared policy without a
-- tenant check. Privileges stay as ops.secure_objects set them (the narrower ones): the
-- write grants on global tables are not handed back.
drop policy agents_shared on agents.agents;

do $block$
begin
    execute pg_catalog.format(
        'create policy agents_shared on agents.agents for select to %I, %I '
        'using (visibility = ''public'' or agents.is_granted(tenant_id, id))',
        ops.role_name('app'), ops.role_name('readonly'));
end
$block$;

comment on policy agents_shared on agents.agents is 'Public agents are visible to every organization; private ones also to organizations they are granted to (AJ)';
