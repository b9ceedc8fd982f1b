-- description: Every registered embedding model has a valid HNSW index on every table with embeddings.
-- severity: error
-- fix: agentdb model index NAME
select
    m.name as model,
    t.t::text as "table",
    knowledge.embedding_index_name(m.id, t.t) as missing_index
from knowledge.embedding_models as m
cross join knowledge.embedding_tables() as t (t)
where not exists (
    select 1
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_index as i on c.oid = i.indexrelid
    inner join pg_catalog.pg_am as am on c.relam = am.oid
    where
        i.indrelid = t.t
        and c.relname = knowledge.embedding_index_name(m.id, t.t)
        and am.amname = 'hnsw'
        and (i.indisvalid or c.relkind = 'I')
)
order by 1, 2
