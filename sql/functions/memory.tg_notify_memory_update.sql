-- Trigger function: Heartwood's memory_update channel, one event per agent and statement.
create or replace function memory.tg_notify_memory_update()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    -- the seed's payload {agent_id, type: 'new_memory'}, plus the tenant (to filter on), the
    -- agent's slug (Heartwood's readable id) and how many memories the statement added
    perform pg_catalog.pg_notify('memory_update', pg_catalog.json_build_object(
                'agent_id', n.agent_id, 'type', 'new_memory', 'tenant_id', n.tenant_id,
                'agent_slug', a.slug, 'count', n.added)::text)
       from (select r.tenant_id, r.agent_id, count(*) as added
               from new_rows as r where r.agent_id is not null
              group by r.tenant_id, r.agent_id) as n
       left join agents.agents as a on n.tenant_id = a.tenant_id and n.agent_id = a.id;
    return null;
end;
$function$;

comment on function memory.tg_notify_memory_update() is
'AFTER INSERT ... FOR EACH STATEMENT on memory.memories (_905_notify_memory_update): Heartwood''s memory_update channel, one pg_notify per tenant, agent and statement with {"agent_id", "type": "new_memory", "tenant_id", "agent_slug", "count"}; memories of no agent (a user''s) send nothing. See docs/events.md';
