-- The type an embedding is cast to for a model: vector(n) or halfvec(n).
create or replace function knowledge.embedding_cast(p_model_id integer)
returns text
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_model record;
begin
    select m.index_storage, m.dimensions into v_model from knowledge.embedding_models as m where m.id = p_model_id;
    if not found then
        raise exception 'no embedding model with id %', p_model_id
            using errcode = 'P0002', hint = 'register it with knowledge.register_embedding_model';
    end if;
    return pg_catalog.format('public.%s(%s)', v_model.index_storage, v_model.dimensions);
end;
$function$;

comment on function knowledge.embedding_cast(integer) is
'public.vector(n) or public.halfvec(n) for model p_model_id: the expression its index is built on and searches cast to; raises P0002 for an unknown model';
