-- Resolve a #mem-124 or #mem-oauth/patterns reference to its memory document.
create or replace function memory.resolve_reference(p_tenant_id uuid, p_reference text)
returns setof memory.documents
language sql
stable
security invoker
set search_path = ''
begin atomic
    with ref as (
        select pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.btrim(p_reference), '^#?mem-', '', 'i')) as key
    )
    select d.*
      from memory.documents as d, ref
     where d.tenant_id = p_tenant_id
       and d.archived_at is null
       and case when ref.key ~ '^[0-9]+$' then d.ref_number = ref.key::bigint else d.alias = ref.key end;
end;

comment on function memory.resolve_reference(uuid, text) is
'The tenant''s memory document a reference names: #mem-124 (or mem-124, 124) by ref_number, #mem-oauth/patterns by alias (case-insensitive); no row when nothing matches';
