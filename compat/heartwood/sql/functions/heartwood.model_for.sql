-- The registered embedding model for a vector of Heartwood's (by its dimensions).
create or replace function heartwood.model_for(p_embedding public.vector)
returns integer
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id integer;
begin
    if p_embedding is null then
        return null;
    end if;
    select m.id into v_id
      from knowledge.embedding_models as m
     where m.dimensions = public.vector_dims(p_embedding)
     order by m.id
     limit 1;
    if v_id is null then
        raise exception 'no %-dimensional embedding model is registered', public.vector_dims(p_embedding)
            using errcode = '23503', hint = 'register one with knowledge.register_embedding_model';
    end if;
    return v_id;
end;
$function$;

comment on function heartwood.model_for(public.vector) is
'The first registered embedding model with the dimensions of p_embedding (Heartwood stores OpenAI 1536-d vectors); raises 23503 when none is registered';
