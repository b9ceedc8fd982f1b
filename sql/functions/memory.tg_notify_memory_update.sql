-- Trigger function: Heartwood's memory_update channel, one event per agent and statement.
-- depends: ops.emit_event
create or replace function memory.tg_notify_memory_update()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_group record;
    v_slug text;
begin
    -- the seed's payload {agent_id, type: 'new_memory'}, plus the tenant (to filter on), the
    -- agent's slug (Heartwood's readable id) and how many memories the statement added
    -- one look-up of the agent per group (on Citus a trigger on a shard may query a
    -- colocated table by its tenant, not join a transition table to it)
    for v_group in
        select r.tenant_id, r.agent_id, count(*) as added
          from new_rows as r where r.agent_id is not null
         group by r.tenant_id, r.agent_id
    loop
        select a.slug into v_slug from agents.agents as a
         where a.tenant_id = v_group.tenant_id and a.id = v_group.agent_id;
        perform ops.emit_event('memory_update', pg_catalog.json_build_object(
                    'agent_id', v_group.agent_id, 'type', 'new_memory', 'tenant_id', v_group.tenant_id,
                    'agent_slug', v_slug, 'count', v_group.added)::text);
    end loop;
    return null;
end;
$function$;

comment on function memory.tg_notify_memory_update() is
'AFTER INSERT ... FOR EACH STATEMENT on memory.memories (_905_notify_memory_update): Heartwood''s memory_update channel, one event (ops.emit_event) per tenant, agent and statement with {"agent_id", "type": "new_memory", "tenant_id", "agent_slug", "count"}; memories of no agent (a user''s) send nothing. See docs/events.md';
