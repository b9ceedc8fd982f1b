-- Map a cirkelline document id (ai.agno_knowledge.id, an integer) to knowledge.documents.
create or replace function ai.knowledge_uuid(p_id integer)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    if p_id is null then
        return null;
    end if;
    select d.id into v_id
      from knowledge.documents as d
     where d.tenant_id = ops.require_tenant_id() and d.metadata ->> 'agno_knowledge_id' = p_id::text;
    if v_id is null then
        raise exception 'ai.agno_knowledge row % does not exist in this tenant', p_id using errcode = '23503';
    end if;
    return v_id;
end;
$function$;

comment on function ai.knowledge_uuid(integer) is
'The knowledge.documents id of the current tenant''s document numbered p_id (metadata ->> ''agno_knowledge_id''); raises 23503 when there is none';
