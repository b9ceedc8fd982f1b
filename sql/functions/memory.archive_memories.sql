-- Move memories out of the stream into the archive, by rule, in one statement.
create or replace function memory.archive_memories(
    p_tenant_id uuid,
    p_optimization_run_id uuid,
    p_older_than interval default '30 days',
    p_max_importance real default null,
    p_user_id uuid default null,
    p_agent_id uuid default null,
    p_reason text default null,
    p_by text default 'last_access'
)
returns integer
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_moved integer;
begin
    if p_by is null or p_by not in ('last_access', 'created') then
        raise exception 'p_by must be last_access or created, not "%"', p_by using errcode = '22023';
    end if;
    with moved as (
        delete from memory.memories as m
         where m.tenant_id = p_tenant_id
           and case when p_by = 'created' then m.created_at else m.last_accessed_at end
               < pg_catalog.now() - p_older_than
           and (p_max_importance is null or m.importance <= p_max_importance)
           and (p_user_id is null or m.user_id = p_user_id)
           and (p_agent_id is null or m.agent_id = p_agent_id)
        returning m.*
    ),
    archived as (
        insert into memory.archived_memories (
            tenant_id, id, agent_id, user_id, kind, content, input, metadata, topics, importance,
            emotional_relevance, tags, related_agent_ids, related_character_ids, location, evidence_ids, embedding,
            embedding_model_id, access_count, last_accessed_at, created_at, updated_at, optimization_run_id,
            archive_reason
        )
        select tenant_id, id, agent_id, user_id, kind, content, input, metadata, topics, importance,
               emotional_relevance, tags, related_agent_ids, related_character_ids, location, evidence_ids, embedding,
               embedding_model_id, access_count, last_accessed_at, created_at, updated_at, p_optimization_run_id,
               coalesce(p_reason, case when p_by = 'created' then 'created more than ' else 'not accessed for ' end
                        || p_older_than::text
                        || coalesce(', importance <= ' || p_max_importance::text, '')) as archive_reason
          from moved
        returning 1
    )
    select count(*)::integer into v_moved from archived;
    return v_moved;
end;
$function$;

comment on function memory.archive_memories(uuid, uuid, interval, real, uuid, uuid, text, text) is
'cirkelline memory optimization: moves the tenant''s memories older than p_older_than, by last access (p_by => ''last_access'', the default: not accessed since) or by creation (p_by => ''created'': cirkelline''s archive query, created_at < now() - 30 days), and when given of importance <= p_max_importance, of one user or agent, into memory.archived_memories (input and metadata included) with the run id and reason; delete and insert in one statement so no row is lost or doubled; returns how many moved';
