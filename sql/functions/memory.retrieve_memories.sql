-- Generative-agent retrieval: recency, importance, relevance and emotion over candidates.
-- depends: ops.nearest_rows
create or replace function memory.retrieve_memories(
    p_tenant_id uuid,
    p_agent_id uuid,
    p_query_embedding public.vector default null,
    p_model_id integer default null,
    p_k integer default 10,
    p_candidates integer default 100,
    p_recency_weight double precision default 1,
    p_importance_weight double precision default 1,
    p_relevance_weight double precision default 1,
    p_emotion_weight double precision default 0,
    p_decay double precision default 0.995,
    p_touch boolean default true,
    p_kinds text[] default null
)
returns table (
    memory_id uuid,
    kind text,
    content text,
    importance real,
    emotional_relevance real,
    created_at timestamptz,
    last_accessed_at timestamptz,
    score double precision,
    recency double precision,
    importance_score double precision,
    relevance double precision,
    emotion double precision
)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_ids uuid[];
    v_relevance double precision[];
    v_picked uuid[] := '{}';
begin
    if p_decay is null or p_decay <= 0 or p_decay > 1 then
        raise exception 'decay must be in (0, 1], not %', p_decay using errcode = '22023';
    end if;
    if p_query_embedding is not null then
        if p_model_id is null then
            raise exception 'a query embedding needs its model: pass p_model_id' using errcode = '22023';
        end if;
        select pg_catalog.array_agg(n.id order by n.rank), pg_catalog.array_agg(n.similarity order by n.rank)
          into v_ids, v_relevance
          from ops.nearest_rows('memory.memories'::regclass, p_model_id, p_query_embedding, p_candidates,
               p_tenant_id,
               $filter$ t.agent_id = ($3->>'agent_id')::uuid
                        and ($3->'kinds' is null or t.kind in (select jsonb_array_elements_text($3->'kinds'))) $filter$,
               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                   'agent_id', p_agent_id, 'kinds', pg_catalog.to_jsonb(p_kinds)))) as n;
    else
        -- no query: the most recent memories are the candidates, relevance plays no part
        select pg_catalog.array_agg(r.id order by r.created_at desc, r.id)
          into v_ids
          from (select m.id, m.created_at from memory.memories as m
                 where m.tenant_id = p_tenant_id and m.agent_id = p_agent_id
                   and (p_kinds is null or m.kind = any(p_kinds))
                 order by m.created_at desc, m.id limit p_candidates) as r;
    end if;

    for memory_id, kind, content, importance, emotional_relevance, created_at, last_accessed_at, score, recency,
        importance_score, relevance, emotion in
    with candidates as (
        select u.id, u.relevance
          from unnest(coalesce(v_ids, '{}'), v_relevance) as u (id, relevance)
         where u.id is not null
    ),
    raw as (
        select m.id, m.kind, m.content, m.importance, m.emotional_relevance, m.created_at, m.last_accessed_at,
               pg_catalog.power(p_decay, extract(epoch from (pg_catalog.now() - m.last_accessed_at)) / 3600.0)
                   as recency,
               m.importance::double precision as importance_raw,
               c.relevance,
               m.emotional_relevance::double precision as emotion_raw
          from candidates c
          join memory.memories as m on m.tenant_id = p_tenant_id and m.id = c.id
    ),
    normalised as (
        -- min-max over the candidates; a component equal for all of them counts fully
        select r.*,
               coalesce((r.recency - min(r.recency) over ()) / nullif(max(r.recency) over () - min(r.recency) over (), 0), 1) as n_recency,
               coalesce((r.importance_raw - min(r.importance_raw) over ())
                        / nullif(max(r.importance_raw) over () - min(r.importance_raw) over (), 0), 1) as n_importance,
               case when r.relevance is null then 0
                    else coalesce((r.relevance - min(r.relevance) over ())
                                  / nullif(max(r.relevance) over () - min(r.relevance) over (), 0), 1) end as n_relevance,
               coalesce((r.emotion_raw - min(r.emotion_raw) over ())
                        / nullif(max(r.emotion_raw) over () - min(r.emotion_raw) over (), 0), 1) as n_emotion
          from raw r
    ),
    picked as (
        select n.*,
               p_recency_weight * n.n_recency + p_importance_weight * n.n_importance
               + p_relevance_weight * n.n_relevance + p_emotion_weight * n.n_emotion as total
          from normalised n
         order by total desc, n.created_at desc, n.id
         limit p_k
    )
    select p.id, p.kind, p.content, p.importance, p.emotional_relevance, p.created_at, p.last_accessed_at,
           p.total, p.n_recency, p.n_importance, p.n_relevance, p.n_emotion
      from picked p
     order by p.total desc, p.created_at desc, p.id
    loop
        v_picked := v_picked || memory_id;
        return next;
    end loop;
    -- a separate statement, run only when asked: the read-only role retrieves with p_touch => false
    if p_touch and v_picked <> '{}' then
        update memory.memories as m
           set last_accessed_at = pg_catalog.now(), access_count = m.access_count + 1
         where m.tenant_id = p_tenant_id and m.id = any(v_picked);
    end if;
end;
$function$;

comment on function memory.retrieve_memories(uuid, uuid, public.vector, integer, integer, integer, double precision, double precision, double precision, double precision, double precision, boolean, text[]) is
'Generative-agent retrieval (Heartwood): candidates are the agent''s p_candidates memories nearest to the query embedding (or the most recent without one); each is scored weighted recency (p_decay ^ hours since last access, 0.995 default) + importance + relevance + emotional relevance, each min-max normalised over the candidates; returns the top p_k with every component, and with p_touch then sets their last access (and access_count); with p_touch => false it writes nothing, so the read-only role may call it';
