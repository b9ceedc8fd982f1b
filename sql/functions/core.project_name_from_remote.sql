-- Derive a project name from a git remote URL, or @username outside a repository.
create or replace function core.project_name_from_remote(p_git_remote text, p_username text default null)
returns text
language sql
immutable
parallel safe
security invoker
set search_path = ''
begin atomic
    select coalesce(
        nullif(
            pg_catalog.regexp_replace(
                pg_catalog.regexp_replace(
                    pg_catalog.regexp_replace(pg_catalog.btrim(p_git_remote, E' \t\r\n'), '[/\\]+$', ''),
                    '\.git$', '', 'i'
                ),
                '^.*[/:\\]', ''
            ),
            ''
        ),
        '@' || coalesce(nullif(pg_catalog.btrim(p_username), ''), 'unknown')
    );
end;

comment on function core.project_name_from_remote(text, text) is
'Project name from a git remote (ikigai): the last path segment without .git, for scp-style (git@host:owner/repo.git), https, ssh, git, file URLs and local paths; @username (or @unknown) when the remote is null or empty';
