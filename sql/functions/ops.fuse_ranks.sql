-- Fuse a vector ranking and a keyword ranking into one: reciprocal rank fusion or weights.
create or replace function ops.fuse_ranks(
    p_vector_ids uuid[],
    p_vector_similarities double precision[],
    p_keyword_ids uuid[],
    p_keyword_scores double precision[],
    p_k integer,
    p_mode text default 'weighted',
    p_rrf_k integer default 60,
    p_vector_weight double precision default null,
    p_keyword_weight double precision default null
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
immutable
rows 10
security invoker
set search_path = ''
as $function$
begin
    if p_mode not in ('rrf', 'weighted') then
        raise exception 'fusion mode must be rrf or weighted, not %', p_mode using errcode = '22023';
    end if;
    return query
    with v as (
        select u.id, u.ord::integer as rank, u.sim,
               coalesce((u.sim - min(u.sim) over ()) / nullif(max(u.sim) over () - min(u.sim) over (), 0), 1)
                   as normalised
          from unnest(coalesce(p_vector_ids, '{}'), coalesce(p_vector_similarities, '{}'))
               with ordinality as u (id, sim, ord)
    ),
    k as (
        select u.id, u.ord::integer as rank, u.score,
               coalesce((u.score - min(u.score) over ()) / nullif(max(u.score) over () - min(u.score) over (), 0), 1)
                   as normalised
          from unnest(coalesce(p_keyword_ids, '{}'), coalesce(p_keyword_scores, '{}'))
               with ordinality as u (id, score, ord)
    ),
    fused as (
        select coalesce(v.id, k.id) as id,
               case when p_mode = 'rrf'
                    then coalesce(coalesce(p_vector_weight, 1.0) / (p_rrf_k + v.rank), 0)
                         + coalesce(coalesce(p_keyword_weight, 1.0) / (p_rrf_k + k.rank), 0)
                    else coalesce(p_vector_weight, 0.5) * coalesce(v.normalised, 0)
                         + coalesce(p_keyword_weight, 0.5) * coalesce(k.normalised, 0)
               end as score,
               v.rank as vector_rank, k.rank as keyword_rank, v.sim, k.score as keyword_score
          from v full join k on v.id = k.id
    )
    select f.id, f.score::double precision, f.vector_rank, f.keyword_rank, f.sim, f.keyword_score,
           case when f.vector_rank is not null and f.keyword_rank is not null then 'both'
                when f.vector_rank is not null then 'vector' else 'keyword' end
      from fused f
     order by f.score desc, least(f.vector_rank, f.keyword_rank), f.id
     limit p_k;
end;
$function$;

comment on function ops.fuse_ranks(uuid[], double precision[], uuid[], double precision[], integer, text, integer, double precision, double precision) is
'Fuses two rankings (ids in rank order with their similarity / keyword score) into the top p_k. rrf: score = wv/(p_rrf_k + vector rank) + wk/(p_rrf_k + keyword rank), weights default 1. weighted: score = wv * min-max-normalised vector similarity + wk * min-max-normalised keyword score (over each leg''s candidates; 1 when a leg''s scores are all equal), weights default 0.5 / 0.5 (best on the quality benchmark; cirkelline passes 0.7 / 0.3). Each row says which leg found it (vector, keyword, both) and its ranks';
