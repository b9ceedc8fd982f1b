-- Register an embedding model (or return the one registered under that name).
-- Security definer: the model registry is global and read-only to the app role; this
-- narrow function is the one way it adds a model.
-- depends: knowledge.create_embedding_indexes
create or replace function knowledge.register_embedding_model(
    p_name text,
    p_dimensions integer,
    p_distance text default 'cosine',
    p_index_storage text default 'vector',
    p_hnsw_m integer default 16,
    p_hnsw_ef_construction integer default 64,
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
    select m.id, m.dimensions, m.distance into v_model from knowledge.embedding_models as m where m.name = p_name;
    if found then
        if v_model.dimensions <> p_dimensions or v_model.distance <> p_distance then
            raise exception 'embedding model % is registered with % dimensions and % distance, not % and %',
                p_name, v_model.dimensions, v_model.distance, p_dimensions, p_distance using errcode = '22023';
        end if;
        return v_model.id;
    end if;
    insert into knowledge.embedding_models (name, dimensions, distance, index_storage, hnsw_m, hnsw_ef_construction, provider)
    values (p_name, p_dimensions, p_distance, p_index_storage, p_hnsw_m, p_hnsw_ef_construction, p_provider)
    returning id into v_model;
    if pg_catalog.current_setting('agentdb.defer_embedding_indexes', true) is distinct from 'on' then
        if pg_catalog.to_regclass('pg_catalog.pg_dist_partition') is not null then
            -- Citus: index DDL over one connection per node, so the transaction can still read
            -- the reference tables afterwards (not after a parallel DDL on a distributed table)
            perform pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', true);
        end if;
        perform knowledge.create_embedding_indexes(v_model.id);
    end if;
    return v_model.id;
end;
$function$;

comment on function knowledge.register_embedding_model(text, integer, text, text, integer, integer, text) is
'Returns the id of model p_name, registering it and creating its HNSW index on every embedding table the first time (unless the transaction set agentdb.defer_embedding_indexes = on: agentdb then builds them concurrently); refuses (22023) a name already registered with other dimensions or distance. Security definer with an empty search_path: the app role cannot write knowledge.embedding_models (a global table) and registers models only through this function, whose CHECK constraints bound what it accepts';
