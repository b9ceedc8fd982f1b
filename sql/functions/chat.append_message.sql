-- Append a message with its identity; span, tags, focus and project are filled in.
-- depends: core.ensure_project
create or replace function chat.append_message(
    p_tenant_id uuid,
    p_role text,
    p_content text,
    p_conversation_id uuid default null,
    p_agent_id uuid default null,
    p_parts jsonb default '[]',
    p_user_id uuid default null,
    p_user_name text default null,
    p_machine text default null,
    p_path text default null,
    p_git_remote text default null,
    p_project_id uuid default null,
    p_tags text[] default null,
    p_focus text default null,
    p_metadata jsonb default '{}',
    p_created_at timestamptz default null
)
returns table (id uuid, created_at timestamptz)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_project uuid := p_project_id;
begin
    -- the project is looked up first and the insert is a plain VALUES: Citus refuses subqueries
    -- inside INSERT ... VALUES, and each statement here is then routed to the tenant's shard
    if v_project is null and p_conversation_id is not null then
        select c.project_id into v_project
          from chat.conversations as c where c.tenant_id = p_tenant_id and c.id = p_conversation_id;
    end if;
    if v_project is null and (p_git_remote is not null or p_user_name is not null) then
        v_project := core.ensure_project(p_tenant_id, p_git_remote, p_user_name);
    end if;
    return query
    insert into chat.messages as m (
        tenant_id, created_at, conversation_id, agent_id, role, content, parts, user_id, user_name,
        machine, path, git_remote, project_id, tags, focus, metadata
    ) values (
        p_tenant_id, coalesce(p_created_at, pg_catalog.now()), p_conversation_id, p_agent_id, p_role,
        coalesce(p_content, ''), coalesce(p_parts, '[]'), p_user_id, p_user_name, p_machine, p_path,
        p_git_remote, v_project, p_tags, p_focus, coalesce(p_metadata, '{}')
    )
    returning m.id, m.created_at;
end;
$function$;

comment on function chat.append_message(
    uuid, text, text, uuid, uuid, jsonb, uuid, text, text, text, text, uuid, text[], text, jsonb, timestamptz
) is
'Appends a message and returns its key (id, created_at). Project: p_project_id, else the conversation''s, else derived from p_git_remote / @p_user_name (created on first use). Span, tags and focus come from the agent''s open span when left empty (trigger _200_fill_identity)';
