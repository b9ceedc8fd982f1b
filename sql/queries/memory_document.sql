-- description: The memory document a reference names: #mem-124 or #mem-oauth/patterns (ikigai).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: reference text  #mem-<number> or #mem-<alias>
select
    '#mem-' || d.ref_number as reference,
    d.alias,
    d.title,
    d.version,
    d.tags,
    -- the project's name by a correlated look-up, not a left join (on Citus a left join of two
    -- distributed tables whose key is a sub-select is a "complex join" it refuses)
    (select p.name from core.projects as p where p.tenant_id = d.tenant_id and p.id = d.project_id) as project,
    d.updated_at,
    d.content
from memory.documents as d
-- the document found first, then read by its key: one single-shard statement on Citus,
-- which cannot join a set-returning function's rows to a distributed table
where (d.tenant_id, d.id) = (
    select r.tenant_id, r.id from memory.resolve_reference((select core.resolve_tenant(:tenant)), :reference) as r
)
