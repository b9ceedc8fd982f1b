-- Undo 0043_user_isolation_without_subqueries: the policies of migration 0015 again (subqueries).
do $block$
declare
    v_roles text := pg_catalog.format('%I, %I', ops.role_name('app'), ops.role_name('readonly'));
    -- the user test: the tenant does not isolate, or the row is the app user's
    v_mine text := 'not (select ops.user_isolated()) or %s = (select ops.current_app_user_id())';
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
            -- rows of a parent: visible when their parent is (the subquery sees it under the same policies)
            ('chat.messages', 'not (select ops.user_isolated()) or case when messages.conversation_id is null '
                              'then messages.user_id is null or messages.user_id = (select ops.current_app_user_id()) '
                              'else exists (select 1 from chat.conversations as c where c.tenant_id = messages.tenant_id '
                              'and c.id = messages.conversation_id) end'),
            ('chat.context_spans', 'not (select ops.user_isolated()) or context_spans.conversation_id is null '
                                   'or exists (select 1 from chat.conversations as c '
                                   'where c.tenant_id = context_spans.tenant_id and c.id = context_spans.conversation_id)'),
            ('chat.files', 'not (select ops.user_isolated()) or ((files.user_id is null '
                           'or files.user_id = (select ops.current_app_user_id())) and (files.conversation_id is null '
                           'or exists (select 1 from chat.conversations as c where c.tenant_id = files.tenant_id '
                           'and c.id = files.conversation_id)))'),
            ('chat.message_files', 'not (select ops.user_isolated()) or exists (select 1 from chat.files as f '
                                   'where f.tenant_id = message_files.tenant_id and f.id = message_files.file_id)'),
            ('knowledge.chunks', 'not (select ops.user_isolated()) or exists (select 1 from knowledge.documents as d '
                                 'where d.tenant_id = chunks.tenant_id and d.id = chunks.document_id)'),
            ('memory.document_versions', 'not (select ops.user_isolated()) or exists (select 1 from memory.documents '
                                         'as d where d.tenant_id = document_versions.tenant_id '
                                         'and d.id = document_versions.document_id)')
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
