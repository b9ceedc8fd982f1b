-- Search memory documents by text and/or vector, in a project or across projects.
-- depends: ops.hybrid_rows
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
    v_project uuid;
begin
    if p_project is not null then
        select p.id into v_project from core.projects as p where p.tenant_id = p_tenant_id and p.name = p_project;
    end if;
    return query
    select d.id, '#mem-' || d.ref_number, d.alias, d.title, d.project_id, f.score, f.vector_rank, f.keyword_rank,
           f.found_by
      from ops.hybrid_rows('memory.documents'::regclass, p_tenant_id, p_query_text, p_query_embedding, p_model_id,
               p_k, p_mode,
               $filter$
                   t.archived_at is null
                   and ($3->>'project' is null or t.project_id is null or t.project_id = ($3->>'project_id')::uuid)
                   and ($3->'tags' is null or t.tags @> (select array_agg(x) from jsonb_array_elements_text($3->'tags') x))
               $filter$,
               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                   'project', p_project, 'project_id', v_project, 'tags', pg_catalog.to_jsonb(p_tags)))) as f
      join memory.documents as d on d.tenant_id = p_tenant_id and d.id = f.id
     order by f.score desc, least(f.vector_rank, f.keyword_rank), f.id;
end;
$function$;

comment on function memory.search_documents(uuid, text, public.vector, integer, integer, text, text[], text) is
'Search over memory documents (the shared wiki) by text (title weighs more than content) and/or vector, fused by rrf or weights; with p_project, that project''s documents and the cross-project ones; filtered by tags';
