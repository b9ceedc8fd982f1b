-- The user_isolation policies of migration 0015, the same rules without subqueries: Citus
-- refuses a policy with a subquery on a distributed table ("Subqueries are not supported in
-- policies on distributed tables"). ops.user_isolated now reads the tenant setting (no
-- table), and the rows that follow a parent (messages, spans, files, message links, chunks,
-- versions) ask the parent's visibility function. Same rows visible as before.
-- requires: ops.user_isolated ops.current_app_user_id chat.conversation_is_visible chat.file_is_visible knowledge.document_is_visible memory.document_is_visible

do $block$
declare
    v_roles text := pg_catalog.format('%I, %I', ops.role_name('app'), ops.role_name('readonly'));
    -- the user test: the tenant does not isolate, or the row is the app user's
    v_mine text := 'not ops.user_isolated() or %s = ops.current_app_user_id()';
    v_table record;
begin
    for v_table in
        select t.name, t.rule from (values
            ('memory.memories', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('memory.archived_memories', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('agents.agent_states', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('core.characters', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('work.workflows', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('knowledge.documents', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('memory.documents', 'user_id is null or ' || pg_catalog.format(v_mine, 'user_id')),
            ('chat.conversations', 'sharing = ''organization'' or user_id is null or '
                                   || pg_catalog.format(v_mine, 'user_id')),
            -- rows of a parent: visible when their parent is (under the parent's own policies)
            ('chat.messages', 'not ops.user_isolated() or case when conversation_id is null '
                              'then user_id is null or user_id = ops.current_app_user_id() '
                              'else chat.conversation_is_visible(tenant_id, conversation_id) end'),
            ('chat.context_spans', 'not ops.user_isolated() or conversation_id is null '
                                   'or chat.conversation_is_visible(tenant_id, conversation_id)'),
            ('chat.files', 'not ops.user_isolated() or ((user_id is null or user_id = ops.current_app_user_id()) '
                           'and (conversation_id is null or chat.conversation_is_visible(tenant_id, conversation_id)))'),
            ('chat.message_files', 'not ops.user_isolated() or chat.file_is_visible(tenant_id, file_id)'),
            ('knowledge.chunks', 'not ops.user_isolated() or knowledge.document_is_visible(tenant_id, document_id)'),
            ('memory.document_versions', 'not ops.user_isolated() or memory.document_is_visible(tenant_id, document_id)')
        ) as t (name, rule)
    loop
        execute pg_catalog.format('drop policy user_isolation on %s', v_table.name);
        execute pg_catalog.format('create policy user_isolation on %s as restrictive to %s using (%s)',
                                  v_table.name, v_roles, v_table.rule);
        execute pg_catalog.format('comment on policy user_isolation on %s is %L', v_table.name,
            'Where the tenant isolates users (settings.user_isolation): rows of one user only to that user '
            '(ops.set_app_user), shared rows to all of the tenant; AND-ed with tenant_isolation');
    end loop;
end
$block$;
