-- Both legs over any embedding table with search_text, fused: what search functions share.
-- depends: ops.nearest_rows ops.keyword_rows ops.fuse_ranks
create or replace function ops.hybrid_rows(
    p_table regclass,
    p_tenant_id uuid,
    p_query_text text,
    p_query_embedding public.vector,
    p_model_id integer,
    p_k integer,
    p_mode text,
    p_filter text default null,
    p_params jsonb default null
)
returns table (
    id uuid,
    score double precision,
    vector_rank integer,
    keyword_rank integer,
    vector_similarity double precision,
    keyword_score double precision,
    found_by text
)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_candidates integer := greatest(p_k * 4, 40);
    v_ids uuid[];
    v_sims double precision[];
    k_ids uuid[];
    k_scores double precision[];
begin
    if p_query_embedding is not null then
        if p_model_id is null then
            raise exception 'a query embedding needs its model: pass p_model_id' using errcode = '22023';
        end if;
        select pg_catalog.array_agg(n.id order by n.rank), pg_catalog.array_agg(n.similarity order by n.rank)
          into v_ids, v_sims
          from ops.nearest_rows(p_table, p_model_id, p_query_embedding, v_candidates, p_tenant_id, p_filter,
                                p_params) as n;
    end if;
    if pg_catalog.btrim(coalesce(p_query_text, '')) <> '' then
        select pg_catalog.array_agg(k.id order by k.rank), pg_catalog.array_agg(k.score order by k.rank)
          into k_ids, k_scores
          from ops.keyword_rows(p_table, p_query_text, v_candidates, p_tenant_id, p_filter, p_params) as k;
    end if;
    return query select * from ops.fuse_ranks(v_ids, v_sims, k_ids, k_scores, p_k, p_mode);
end;
$function$;

comment on function ops.hybrid_rows(regclass, uuid, text, public.vector, integer, integer, text, text, jsonb) is
'Hybrid search over any table with embeddings and search_text: max(4k, 40) candidates from the vector leg (ops.nearest_rows) and the full-text leg (ops.keyword_rows) under the same filter, fused by ops.fuse_ranks; keyword-only without an embedding';
