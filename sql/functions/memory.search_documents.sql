-- Search memory documents by text and/or vector, in a project or across projects.
-- depends: ops.nearest_rows ops.fuse_ranks
create or replace function memory.search_documents(
    p_tenant_id uuid,
    p_query_text text,
    p_query_embedding public.vector default null,
    p_model_id integer default null,
    p_k integer default 10,
    p_project text default null,
    p_tags text[] default null,
    p_mode text default 'weighted'
)
returns table (
    document_id uuid,
    reference text,
    alias text,
    title text,
    project_id uuid,
    score double precision,
    vector_rank integer,
    keyword_rank integer,
    found_by text
)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_candidates integer := greatest(p_k * 4, 40);
    v_project uuid;
    v_ids uuid[];
    v_sims double precision[];
    k_ids uuid[];
    k_scores double precision[];
begin
    if p_project is not null then
        select p.id into v_project from core.projects as p where p.tenant_id = p_tenant_id and p.name = p_project;
    end if;
    if p_query_embedding is not null then
        if p_model_id is null then
            raise exception 'a query embedding needs its model: pass p_model_id' using errcode = '22023';
        end if;
        select pg_catalog.array_agg(n.id order by n.rank), pg_catalog.array_agg(n.similarity order by n.rank)
          into v_ids, v_sims
          from ops.nearest_rows('memory.documents'::regclass, p_model_id, p_query_embedding, v_candidates, p_tenant_id,
               $filter$
                   t.archived_at is null
                   and ($3->>'project' is null or t.project_id is null or t.project_id = ($3->>'project_id')::uuid)
                   and ($3->'tags' is null or t.tags @> (select array_agg(x) from jsonb_array_elements_text($3->'tags') x))
               $filter$,
               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                   'project', p_project, 'project_id', v_project, 'tags', pg_catalog.to_jsonb(p_tags)))) as n;
    end if;
    if pg_catalog.btrim(coalesce(p_query_text, '')) <> '' then
        select pg_catalog.array_agg(s.id order by s.score desc, s.id), pg_catalog.array_agg(s.score order by s.score desc, s.id)
          into k_ids, k_scores
          from (
              select d.id, pg_catalog.ts_rank_cd(d.search_text, q.query)::double precision as score
                from memory.documents as d, pg_catalog.websearch_to_tsquery('english'::regconfig, p_query_text) q (query)
               where d.tenant_id = p_tenant_id and d.search_text @@ q.query and d.archived_at is null
                 and (p_project is null or d.project_id is null or d.project_id = v_project)
                 and (p_tags is null or d.tags @> p_tags)
               order by score desc, d.id
               limit v_candidates
          ) as s;
    end if;
    return query
    select d.id, '#mem-' || d.ref_number, d.alias, d.title, d.project_id, f.score, f.vector_rank, f.keyword_rank,
           f.found_by
      from ops.fuse_ranks(v_ids, v_sims, k_ids, k_scores, p_k, p_mode) f
      join memory.documents as d on d.tenant_id = p_tenant_id and d.id = f.id
     order by f.score desc, least(f.vector_rank, f.keyword_rank), f.id;
end;
$function$;

comment on function memory.search_documents(uuid, text, public.vector, integer, integer, text, text[], text) is
'Search over memory documents (the shared wiki) by text (title weighs more than content) and/or vector, fused by rrf or weights; with p_project, that project''s documents and the cross-project ones; filtered by tags';
