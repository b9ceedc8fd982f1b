-- description: Vector-only search over knowledge chunks (the seed's ORDER BY embedding <=> query LIMIT k), through the model's HNSW index.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: embedding vector  Query embedding as '[0.1, 0.2, ...]'
-- param: model text  Name of the embedding model
-- param: k integer = 5  How many results
-- param: min_similarity float8 = null  Only results at least this similar (cirkelline's threshold 0.7)
-- the search first (materialized), then its chunks and documents by key: on Citus a function
-- joined to a distributed table would run on every shard
with v as materialized (
    select f.*
    from knowledge.search_chunks_vector(
        (select core.resolve_tenant(:tenant)),
        (select m.id from knowledge.embedding_models as m where m.name = :model),
        :embedding,
        :k
    ) as f
)

select
    v.rank,
    v.similarity,
    d.name as document,
    c.content
from v
inner join knowledge.chunks as c
    on c.tenant_id = (select core.resolve_tenant(:tenant)) and v.chunk_id = c.id
inner join knowledge.documents as d on c.tenant_id = d.tenant_id and v.document_id = d.id
where :min_similarity is null or v.similarity >= :min_similarity
order by v.rank
