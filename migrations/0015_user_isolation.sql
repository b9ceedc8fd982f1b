-- Per-user isolation for tenants that declare it (core.tenants.settings.user_isolation =
-- true): restrictive policies, AND-ed with tenant_isolation, show a row that belongs to a
-- user only to the transaction's app user (ops.set_app_user); rows shared on purpose
-- (no owning user, organization-shared conversations) stay visible to the tenant. Rows
-- that belong to a parent (messages, files, chunks, versions) follow it. knowledge.documents
-- and memory.documents gain an owning user. Tenants without the setting are unchanged.
-- requires: ops.user_isolated ops.current_app_user_id

alter table knowledge.documents add column user_id uuid;
alter table knowledge.documents add constraint documents_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
-- lint: allow S003 the column was added just above: every row is null, the check reads no other table
references core.users (tenant_id, id) on delete cascade;
create index documents_tenant_id_user_id_idx on knowledge.documents (tenant_id, user_id)
-- lint: allow S001 one row per file or wiki page, and the new column is null in all of them: a short build
where user_id is not null;
comment on column knowledge.documents.user_id is 'The user the document belongs to (cirkelline per-user knowledge); null: shared by the tenant';
comment on index knowledge.documents_tenant_id_user_id_idx is 'A user''s documents; supports the user foreign key';

alter table memory.documents add column user_id uuid;
-- memory.resolve_reference returns whole document rows (select d.*, fixed when it was made):
-- drop it so this run re-creates it from sql/functions with the new column
drop function if exists memory.resolve_reference(uuid, text);
alter table memory.documents add constraint documents_tenant_id_user_id_fkey foreign key (tenant_id, user_id)
-- lint: allow S003 the column was added just above: every row is null, the check reads no other table
references core.users (tenant_id, id) on delete set null (user_id);
create index documents_tenant_id_user_id_idx on memory.documents (tenant_id, user_id)
-- lint: allow S001 one row per file or wiki page, and the new column is null in all of them: a short build
where user_id is not null;
comment on column memory.documents.user_id is 'The user the document belongs to (private to them where the tenant isolates users); null: the tenant''s shared wiki';
comment on index memory.documents_tenant_id_user_id_idx is 'A user''s documents; supports the user foreign key';

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
        execute pg_catalog.format('create policy user_isolation on %s as restrictive to %s using (%s)',
                                  v_table.name, v_roles, v_table.rule);
        execute pg_catalog.format('comment on policy user_isolation on %s is %L', v_table.name,
            'Where the tenant isolates users (settings.user_isolation): rows of one user only to that user '
            '(ops.set_app_user), shared rows to all of the tenant; AND-ed with tenant_isolation');
    end loop;
end
$block$;
