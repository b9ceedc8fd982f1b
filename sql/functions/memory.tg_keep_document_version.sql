-- Trigger function: every edit of a memory document keeps the previous version.
create or replace function memory.tg_keep_document_version()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if (new.alias, new.title, new.content, new.tags, new.project_id, new.git_commit_ref)
       is distinct from (old.alias, old.title, old.content, old.tags, old.project_id, old.git_commit_ref) then
        insert into memory.document_versions (
            tenant_id, document_id, version, alias, title, content, tags, project_id,
            git_commit_ref, edited_by_agent_id, valid_from, valid_to
        ) values (
            old.tenant_id, old.id, old.version, old.alias, old.title, old.content, old.tags, old.project_id,
            old.git_commit_ref, old.updated_by_agent_id, old.updated_at, pg_catalog.clock_timestamp()
        );
        new.version := old.version + 1;
    else
        new.version := old.version;
    end if;
    return new;
end;
$function$;

comment on function memory.tg_keep_document_version() is
'BEFORE UPDATE on memory.documents (_200_keep_version): when alias, title, content, tags, project or git ref change, copies the old row into memory.document_versions and increments version; version cannot be set by hand';
