-- INSTEAD OF trigger of ikigai.memory_documents: writes go to memory.documents.
-- depends: ikigai.agent_uuid ikigai.project_uuid
create or replace function ikigai.tg_memory_documents()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from memory.documents as d where d.tenant_id = v_tenant and d.ref_number = old.id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into memory.documents as d (
            tenant_id, alias, title, content, tags, project_id, created_by_agent_id, git_commit_ref
        ) values (
            v_tenant, new.alias, new.title, new.content, coalesce(new.tags, '{}'), ikigai.project_uuid(new.project),
            ikigai.agent_uuid(new.created_by_agent_id), new.git_commit_ref
        )
        returning d.ref_number, d.created_at, d.updated_at into new.id, new.created_at, new.updated_at;
        return new;
    end if;
    update memory.documents as d
       set alias = new.alias, title = new.title, content = new.content, tags = coalesce(new.tags, '{}'),
           project_id = ikigai.project_uuid(new.project), git_commit_ref = new.git_commit_ref
     where d.tenant_id = v_tenant and d.ref_number = old.id
    returning d.updated_at into new.updated_at;
    return new;
end;
$function$;

comment on function ikigai.tg_memory_documents() is
'INSTEAD OF insert, update and delete on ikigai.memory_documents: a document is a memory.documents row (id = ref_number, #mem-<id>); every edit keeps the earlier version (memory.document_versions)';
