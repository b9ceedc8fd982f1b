-- The agentdb project of an ikigai message or document: named, else derived.
create or replace function ikigai.project_uuid(p_project text, p_git_remote text default null, p_user_name text default null)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    select case
        when p_project is not null or p_git_remote is not null or p_user_name is not null
        then core.ensure_project(ops.require_tenant_id(), p_git_remote, p_user_name, p_project)
    end;
end;

comment on function ikigai.project_uuid(text, text, text) is
'The current tenant''s project named p_project, else the one derived from p_git_remote or @p_user_name (core.ensure_project, made on first use); null when all three are null';
