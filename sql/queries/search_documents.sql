-- description: Search the memory documents (shared wiki) by text and/or vector; with a project, its documents and the cross-project ones.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: query text  What to look for
-- param: embedding vector = null  Query embedding
-- param: model text = null  Name of the embedding model
-- param: k integer = 10  How many documents
-- param: project text = null  Project name
-- param: tags text[] = null  Tags every document must carry
select
    s.score,
    s.found_by,
    s.reference,
    s.alias,
    s.title
from memory.search_documents(
    (select core.resolve_tenant(:tenant)),
    :query,
    :embedding,
    (select m.id from knowledge.embedding_models as m where m.name = :model),
    :k,
    :project,
    :tags
) as s
