-- description: Generative-agent retrieval of an agent's memories: recency (decay 0.995 per hour), importance, relevance to the query embedding and emotion, each min-max normalised; marks what it returns as accessed.
-- mode: write
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: embedding vector = null  Query embedding (without one: the most recent memories, relevance unused)
-- param: model text = null  Name of the embedding model
-- param: k integer = 10  How many memories
-- param: recency_weight float8 = 1  Weight of recency
-- param: importance_weight float8 = 1  Weight of importance
-- param: relevance_weight float8 = 1  Weight of relevance
-- param: emotion_weight float8 = 0  Weight of emotional relevance
-- param: touch boolean = true  Mark what it returns as accessed (false writes nothing: the read-only role's way)
select
    r.score,
    r.kind,
    r.importance,
    r.recency,
    r.relevance,
    r.emotion,
    r.created_at,
    r.content
from memory.retrieve_memories(
    (select core.resolve_tenant(:tenant)),
    (
        select a.id from agents.agents as a
        where
            a.tenant_id = (select core.resolve_tenant(:tenant))
            and (a.slug = :agent or a.name = :agent or a.id::text = :agent)
        limit 1
    ),
    :embedding,
    (select m.id from knowledge.embedding_models as m where m.name = :model),
    :k,
    p_recency_weight => :recency_weight,
    p_importance_weight => :importance_weight,
    p_relevance_weight => :relevance_weight,
    p_emotion_weight => :emotion_weight,
    p_touch => :touch
) as r
