-- Search messages by text and/or vector with ikigai's identity filters.
-- depends: ops.hybrid_rows
create or replace function chat.search_messages(
    p_tenant_id uuid,
    p_query_text text,
    p_query_embedding public.vector default null,
    p_model_id integer default null,
    p_k integer default 20,
    p_project text default null,
    p_agent_id uuid default null,
    p_tags text[] default null,
    p_machine text default null,
    p_user_name text default null,
    p_path text default null,
    p_since timestamptz default null,
    p_until timestamptz default null,
    p_mode text default 'weighted'
)
returns table (
    message_id uuid,
    created_at timestamptz,
    role text,
    content text,
    tags text[],
    focus text,
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
        if v_project is null then
            return;
        end if;
    end if;
    return query
    select m.id, m.created_at, m.role, m.content, m.tags, m.focus, f.score, f.vector_rank, f.keyword_rank, f.found_by
      from ops.hybrid_rows('chat.messages'::regclass, p_tenant_id, p_query_text, p_query_embedding, p_model_id, p_k,
               p_mode,
               $filter$
                   ($3->>'project_id' is null or t.project_id = ($3->>'project_id')::uuid)
                   and ($3->>'agent_id' is null or t.agent_id = ($3->>'agent_id')::uuid)
                   and ($3->'tags' is null or t.tags @> (select array_agg(x) from jsonb_array_elements_text($3->'tags') x))
                   and ($3->>'machine' is null or t.machine = $3->>'machine')
                   and ($3->>'user_name' is null or t.user_name = $3->>'user_name')
                   and ($3->>'path' is null or t.path = $3->>'path')
                   and ($3->>'since' is null or t.created_at >= ($3->>'since')::timestamptz)
                   and ($3->>'until' is null or t.created_at < ($3->>'until')::timestamptz)
               $filter$,
               pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                   'project_id', v_project, 'agent_id', p_agent_id, 'tags', pg_catalog.to_jsonb(p_tags),
                   'machine', p_machine, 'user_name', p_user_name, 'path', p_path, 'since', p_since,
                   'until', p_until))) as f
      join chat.messages as m on m.tenant_id = p_tenant_id and m.id = f.id
     order by f.score desc, least(f.vector_rank, f.keyword_rank), f.id;
end;
$function$;

comment on function chat.search_messages(uuid, text, public.vector, integer, integer, text, uuid, text[], text, text, text, timestamptz, timestamptz, text) is
'RAG over messages (ikigai): full text and/or vector (the model''s HNSW index), fused by rrf or weights, filtered by project name, agent, tags (all of them), machine, user, path and time; keyword-only without an embedding';
