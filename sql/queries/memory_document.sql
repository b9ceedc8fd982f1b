-- description: The memory document a reference names: #mem-124 or #mem-oauth/patterns (ikigai).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: reference text  #mem-<number> or #mem-<alias>
select
    '#mem-' || d.ref_number as reference,
    d.alias,
    d.title,
    d.version,
    d.tags,
    p.name as project,
    d.updated_at,
    d.content
from memory.documents as d
left join core.projects as p on d.tenant_id = p.tenant_id and d.project_id = p.id
-- the document found first, then read by its key: one single-shard statement on Citus,
-- which cannot join a set-returning function's rows to a distributed table
where (d.tenant_id, d.id) = (
    select r.tenant_id, r.id from memory.resolve_reference((select core.resolve_tenant(:tenant)), :reference) as r
)
