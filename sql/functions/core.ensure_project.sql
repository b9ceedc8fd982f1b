-- Return the project for a remote (or an explicit name), creating it on first sight.
-- depends: core.project_name_from_remote
create or replace function core.ensure_project(
    p_tenant_id uuid,
    p_git_remote text,
    p_username text default null,
    p_name text default null
)
returns uuid
language sql
volatile
security invoker
set search_path = ''
begin atomic
    insert into core.projects as p (tenant_id, name, git_remote)
    values (
        p_tenant_id,
        coalesce(nullif(pg_catalog.btrim(p_name), ''), core.project_name_from_remote(p_git_remote, p_username)),
        nullif(pg_catalog.btrim(p_git_remote, E' \t\r\n'), '')
    )
    on conflict (tenant_id, name) do update
        set git_remote = coalesce(p.git_remote, excluded.git_remote)
    returning p.id;
end;

comment on function core.ensure_project(uuid, text, text, text) is
'Returns the id of the tenant''s project named p_name, or derived from p_git_remote (core.project_name_from_remote, @username outside a repository), creating the project the first time; safe under concurrent calls';
