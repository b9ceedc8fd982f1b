-- INSTEAD OF trigger of ai.cirkelline_knowledge_vectors: writes go to knowledge.chunks.
-- depends: ai.knowledge_uuid
create or replace function ai.tg_cirkelline_knowledge_vectors()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_document uuid;
    v_model integer;
begin
    if tg_op = 'DELETE' then
        delete from knowledge.chunks as c where c.tenant_id = v_tenant and c.id = old.id;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        raise exception 'ai.cirkelline_knowledge_vectors: delete the chunk and insert it anew' using errcode = '0A000';
    end if;
    v_document := ai.knowledge_uuid(new.document_id);
    select m.id into v_model
      from knowledge.embedding_models as m
     where m.dimensions = 768
     order by m.id
     limit 1;
    if v_model is null then
        raise exception 'no 768-dimensional embedding model is registered'
            using errcode = '23503', hint = 'select knowledge.register_embedding_model(''<name>'', 768, ''cosine'', ''vector'', 16, 200)';
    end if;
    insert into knowledge.chunks as c (
        tenant_id, id, document_id, chunk_index, content, embedding, embedding_model_id, metadata
    ) values (
        v_tenant, coalesce(new.id, ops.uuidv7()), v_document,
        coalesce((new.metadata ->> 'chunk_index')::integer,
                 (select coalesce(max(x.chunk_index) + 1, 0) from knowledge.chunks as x
                   where x.tenant_id = v_tenant and x.document_id = v_document)),
        new.chunk_text, new.embedding, v_model, coalesce(new.metadata, '{}')
    )
    returning c.id, c.created_at, c.created_at into new.id, new.created_at, new.updated_at;
    return new;
end;
$function$;

comment on function ai.tg_cirkelline_knowledge_vectors() is
'INSTEAD OF insert and delete on ai.cirkelline_knowledge_vectors: a vector is a knowledge.chunks row of the document numbered document_id, embedded by the first registered 768-dimensional model, chunk_index from metadata (else the next one)';
