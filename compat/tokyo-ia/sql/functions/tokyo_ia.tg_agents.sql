-- INSTEAD OF trigger of tokyo_ia.agents: writes go to agents.agents.
-- depends: tokyo_ia.agent_uuid
create or replace function tokyo_ia.tg_agents()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    if tg_op = 'DELETE' then
        delete from agents.agents as a
         where a.tenant_id = ops.require_tenant_id() and a.id = tokyo_ia.agent_uuid(old.id);
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into agents.agents (
            tenant_id, slug, name, role, model, specialties, backstory, personality, status, metadata
        ) values (
            ops.require_tenant_id(), new.id, new.name, new.role, new.model, coalesce(new.specialties, '{}'),
            new.backstory,
            case when new.personality_emoji is null then '{}'::jsonb
                 else pg_catalog.jsonb_build_object('emoji', new.personality_emoji) end,
            coalesce(new.status, 'active'), coalesce(new.metadata, '{}')
        )
        returning id, created_at, updated_at into v_id, new.created_at, new.updated_at;
    else
        update agents.agents as a
           set slug = new.id, name = new.name, role = new.role, model = new.model,
               specialties = coalesce(new.specialties, '{}'), backstory = new.backstory,
               personality = case when new.personality_emoji is null then a.personality - 'emoji'
                                  else a.personality || pg_catalog.jsonb_build_object('emoji', new.personality_emoji) end,
               status = new.status, metadata = coalesce(new.metadata, '{}')
         where a.tenant_id = ops.require_tenant_id() and a.id = tokyo_ia.agent_uuid(old.id)
        returning a.updated_at into new.updated_at;
    end if;
    -- the counters are computed from the agent's tasks (work.agent_statistics), never stored
    select s.total_tasks_completed, s.total_tokens_used, s.average_latency_ms, s.success_rate
      into new.total_tasks_completed, new.total_tokens_used, new.average_latency_ms, new.success_rate
      from tokyo_ia.agents as s
     where s.id = new.id;
    new.status := coalesce(new.status, 'active');
    new.metadata := coalesce(new.metadata, '{}');
    return new;
end;
$function$;

comment on function tokyo_ia.tg_agents() is
'INSTEAD OF insert, update and delete on tokyo_ia.agents: the Tokyo-IA id is the agent''s slug, personality_emoji goes to personality.emoji; the counters (total_tasks_completed, total_tokens_used, average_latency_ms, success_rate) are computed from the agent''s tasks, so a write to them is ignored';
