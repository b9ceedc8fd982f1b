-- description: RAG over messages (ikigai): text and/or vector, filtered by project, tags, machine, user, path and time.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: query text  What to look for
-- param: embedding vector = null  Query embedding
-- param: model text = null  Name of the embedding model
-- param: k integer = 20  How many messages
-- param: project text = null  Project name
-- param: tags text[] = null  Tags every message must carry
-- param: machine text = null  Host name
-- param: user_name text = null  User who ran the client
-- param: path text = null  Working directory
-- param: since timestamptz = null  Only messages at or after this time
-- param: until timestamptz = null  Only messages before this time
select
    s.score,
    s.found_by,
    s.created_at,
    s.role,
    s.tags,
    s.focus,
    s.content
from chat.search_messages(
    (select core.resolve_tenant(:tenant)),
    :query,
    :embedding,
    (select m.id from knowledge.embedding_models as m where m.name = :model),
    :k,
    :project,
    null,
    :tags,
    :machine,
    :user_name,
    :path,
    :since,
    :until
) as s
