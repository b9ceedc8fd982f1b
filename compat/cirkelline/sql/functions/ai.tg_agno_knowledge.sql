-- INSTEAD OF trigger of ai.agno_knowledge: writes go to knowledge.documents.
-- depends: ai.knowledge_uuid
create or replace function ai.tg_agno_knowledge()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from knowledge.documents as d where d.tenant_id = v_tenant and d.id = ai.knowledge_uuid(old.id);
        return old;
    end if;
    new.id := coalesce(new.id, pg_catalog.nextval('ai.agno_knowledge_id_seq')::integer);
    if (tg_op = 'INSERT' or new.id <> old.id) and exists (
        select 1 from knowledge.documents as d
         where d.tenant_id = v_tenant and d.metadata ->> 'agno_knowledge_id' = new.id::text
    ) then
        raise exception 'ai.agno_knowledge id % is taken', new.id using errcode = '23505';
    end if;
    if tg_op = 'INSERT' then
        insert into knowledge.documents as d (tenant_id, name, file_name, path, content_type, metadata)
        values (
            v_tenant, new.name, new.file_name, new.file_path, new.content_type,
            coalesce(new.metadata, '{}') || pg_catalog.jsonb_build_object('agno_knowledge_id', new.id)
        )
        returning d.created_at, d.updated_at into new.created_at, new.updated_at;
        return new;
    end if;
    update knowledge.documents as d
       set name = new.name, file_name = new.file_name, path = new.file_path, content_type = new.content_type,
           metadata = coalesce(new.metadata, '{}') || pg_catalog.jsonb_build_object('agno_knowledge_id', new.id)
     where d.tenant_id = v_tenant and d.id = ai.knowledge_uuid(old.id)
    returning d.updated_at into new.updated_at;
    return new;
end;
$function$;

comment on function ai.tg_agno_knowledge() is
'INSTEAD OF insert, update and delete on ai.agno_knowledge: a document is a knowledge.documents row; its cirkelline integer id (given, else from ai.agno_knowledge_id_seq) is kept in metadata ->> ''agno_knowledge_id'', unique per tenant, and never shown in metadata';
