-- Heartwood's memory stream: agentdb's memory.memories of agents.
-- depends: heartwood.tg_agent_memories
create or replace view heartwood.agent_memories
with (security_invoker = true)
as
select
    m.id,
    a.slug as agent_id,
    m.kind as memory_type,
    m.content,
    m.importance as importance_score,
    m.emotional_relevance,
    m.tags,
    array(
        select r.slug from agents.agents as r
        where r.tenant_id = m.tenant_id and r.id = any(m.related_agent_ids)
        order by r.slug
    ) as related_agents,
    array(
        select coalesce(c.attributes ->> 'heartwood_id', c.id::text) from core.characters as c
        where c.tenant_id = m.tenant_id and c.id = any(m.related_character_ids)
        order by 1
    ) as related_players,
    m.location,
    m.created_at as "timestamp",
    m.embedding_model_id as embedding_id,
    m.embedding
from memory.memories as m
inner join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id;

create or replace trigger heartwood_agent_memories_write instead of insert or update or delete
on heartwood.agent_memories
for each row execute function heartwood.tg_agent_memories();

comment on view heartwood.agent_memories is 'Heartwood''s memory stream (memory.memories of agents): observation, reflection, plan, metacognition with importance 0..10; an insert notifies memory_update ({agent_id, type: new_memory}) and agentdb_memories (docs/events.md)';
comment on column heartwood.agent_memories.id is 'Memory id';
comment on column heartwood.agent_memories.agent_id is 'Heartwood agent id (slug)';
comment on column heartwood.agent_memories.memory_type is 'observation, reflection, plan, metacognition';
comment on column heartwood.agent_memories.content is 'What the agent perceived or thought';
comment on column heartwood.agent_memories.importance_score is '0..10';
comment on column heartwood.agent_memories.emotional_relevance is '0..1';
comment on column heartwood.agent_memories.tags is 'Labels';
comment on column heartwood.agent_memories.related_agents is 'Heartwood ids of the agents it involves';
comment on column heartwood.agent_memories.related_players is 'Heartwood ids of the players it involves';
comment on column heartwood.agent_memories.location is 'Where it happened';
comment on column heartwood.agent_memories.timestamp is 'When it happened (memory.memories.created_at)';
comment on column heartwood.agent_memories.embedding_id is 'The embedding''s model (knowledge.embedding_models.id): the vector itself is in embedding';
comment on column heartwood.agent_memories.embedding is 'The memory''s embedding';
