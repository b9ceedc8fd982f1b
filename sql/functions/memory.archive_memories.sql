-- Move memories out of the stream into the archive, by rule, in one statement.
create or replace function memory.archive_memories(
    p_tenant_id uuid,
    p_optimization_run_id uuid,
    p_older_than interval default '30 days',
    p_max_importance real default null,
    p_user_id uuid default null,
    p_agent_id uuid default null,
    p_reason text default null
)
returns integer
language sql
volatile
security invoker
set search_path = ''
begin atomic
    with moved as (
        delete from memory.memories as m
         where m.tenant_id = p_tenant_id
           and m.last_accessed_at < pg_catalog.now() - p_older_than
           and (p_max_importance is null or m.importance <= p_max_importance)
           and (p_user_id is null or m.user_id = p_user_id)
           and (p_agent_id is null or m.agent_id = p_agent_id)
        returning m.*
    ),
    archived as (
        insert into memory.archived_memories (
            tenant_id, id, agent_id, user_id, kind, content, topics, importance, emotional_relevance, tags,
            related_agent_ids, related_character_ids, location, evidence_ids, embedding, embedding_model_id,
            access_count, last_accessed_at, created_at, updated_at, optimization_run_id, archive_reason
        )
        select tenant_id, id, agent_id, user_id, kind, content, topics, importance, emotional_relevance, tags,
               related_agent_ids, related_character_ids, location, evidence_ids, embedding, embedding_model_id,
               access_count, last_accessed_at, created_at, updated_at, p_optimization_run_id,
               coalesce(p_reason, 'not accessed for ' || p_older_than::text
                        || coalesce(', importance <= ' || p_max_importance::text, '')) as archive_reason
          from moved
        returning 1
    )
    select count(*)::integer as moved from archived;
end;

comment on function memory.archive_memories(uuid, uuid, interval, real, uuid, uuid, text) is
'cirkelline memory optimization: moves the tenant''s memories not accessed for p_older_than (and, when given, of importance <= p_max_importance, of one user or agent) into memory.archived_memories with the run id and reason, delete and insert in one statement so no row is lost or doubled; returns how many moved';
