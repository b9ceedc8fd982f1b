-- description: Hybrid search over knowledge chunks: full text plus, when an embedding is given, the vector leg, fused by weights (0.5/0.5 by default; cirkelline's 0.7 vector + 0.3 keyword with -p vector_weight=0.7 -p keyword_weight=0.3) or rrf; keyword-only without an embedding.
-- param: tenant text = personal  Tenant slug, id or external id
-- param: query text  The question
-- param: embedding vector = null  Query embedding as '[0.1, 0.2, ...]' (agentdb search makes one for you)
-- param: model text = null  Name of the embedding model of the embedding
-- param: k integer = 10  How many results
-- param: mode text = weighted  weighted (0.5/0.5 of min-max-normalised scores) or rrf
-- param: agent uuid = null  Only this agent's knowledge
-- param: vector_weight float8 = null  Weight of the vector leg (weighted: 0.5 when not given; rrf: 1)
-- param: keyword_weight float8 = null  Weight of the keyword leg (weighted: 0.5 when not given; rrf: 1)
-- the search first (materialized), then its documents by key: on Citus a function joined to a
-- distributed table would run on every shard
with h as materialized (
    select f.*
    from knowledge.hybrid_search(
        (select core.resolve_tenant(:tenant)),
        :query,
        :embedding,
        (select m.id from knowledge.embedding_models as m where m.name = :model),
        :k,
        :mode,
        p_vector_weight => :vector_weight,
        p_keyword_weight => :keyword_weight,
        p_agent_id => :agent
    ) as f
)

select
    h.score,
    h.found_by,
    h.vector_rank,
    h.keyword_rank,
    d.name as document,
    h.content
from h
inner join knowledge.documents as d
    on d.tenant_id = (select core.resolve_tenant(:tenant)) and h.document_id = d.id
order by h.score desc
