-- Trigger function: refuse new use of a shared agent the tenant may no longer use.
-- depends: agents.may_use_agent
create or replace function agents.tg_check_agent_use()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_group record;
    v_name text;
begin
    -- per tenant, one look-up of the statement's agents; only installations are checked (on
    -- Citus a trigger on a shard may query a colocated table by its tenant, not join a
    -- transition table to it)
    for v_group in execute pg_catalog.format(
        'select n.tenant_id, pg_catalog.array_agg(distinct n.%1$I) as ids from new_rows as n '
        'where n.%1$I is not null group by n.tenant_id', tg_argv[0])
    loop
        select a.name into v_name
          from agents.agents as a
         where a.tenant_id = v_group.tenant_id and a.id = any (v_group.ids) and a.source_agent_id is not null
           and not agents.may_use_agent(a.tenant_id, a.source_tenant_id, a.source_agent_id)
         limit 1;
        exit when v_name is not null;
    end loop;
    if v_name is not null then
        raise exception 'agent "%" is no longer shared with this organization', v_name
            using errcode = '42501',
                  detail = pg_catalog.format('%s: no new rows for a shared agent whose grant was revoked or that was withdrawn',
                                             tg_table_schema || '.' || tg_table_name),
                  hint = 'its history stays readable; ask the agent''s owner to grant it again';
    end if;
    return null;
end;
$function$;

comment on function agents.tg_check_agent_use() is
'AFTER INSERT (or UPDATE) ... FOR EACH STATEMENT with transition table new_rows (_300_check_agent_use_*), TG_ARGV[0] the agent column: refuses the statement (42501) when a row names an installation of a shared agent its tenant may no longer use (agents.may_use_agent: grant revoked, agent withdrawn or no longer public); rows of other agents cost one look-up per tenant';
