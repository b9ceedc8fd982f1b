-- The id of an embedding model, registered on first use; safe when many clients race.
-- Security definer: the registry is global and read-only to the app role (docs/security.md).
create or replace function knowledge.ensure_embedding_model(
    p_name text,
    p_dimensions integer,
    p_distance text default 'cosine',
    p_provider text default null
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $function$
declare
    v_model record;
begin
    -- a registered model is only read: a role that may not register models (the app role)
    -- still uses the ones the owner registered
    select m.id, m.dimensions, m.distance into v_model
      from knowledge.embedding_models as m
     where m.name = p_name;
    if not found then
        -- insert ... on conflict: two first uses at once register the model once, and both get its id
        insert into knowledge.embedding_models (name, dimensions, distance, provider)
        values (p_name, p_dimensions, p_distance, p_provider)
        on conflict (name) do nothing;
        select m.id, m.dimensions, m.distance into v_model
          from knowledge.embedding_models as m
         where m.name = p_name;
    end if;
    if v_model.dimensions <> p_dimensions or v_model.distance <> p_distance then
        raise exception 'embedding model % is registered with % dimensions and % distance, not % and %',
            p_name, v_model.dimensions, v_model.distance, p_dimensions, p_distance using errcode = '22023';
    end if;
    return v_model.id;
end;
$function$;

comment on function knowledge.ensure_embedding_model(text, integer, text, text) is
'Returns the id of model p_name, registering it (insert ... on conflict, so concurrent first uses agree) when it is new (a registered model is only read); refuses (22023) a name registered with other dimensions or distance. Security definer with an empty search_path: the app role cannot write knowledge.embedding_models (a global table) and registers models through this function (or knowledge.register_embedding_model), whose CHECK constraints bound what it accepts';
