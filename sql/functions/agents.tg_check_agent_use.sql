-- Trigger function: refuse new use of a shared agent the tenant may no longer use.
-- depends: agents.may_use_agent
create or replace function agents.tg_check_agent_use()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_agent record;
begin
    -- one join of the statement's rows with their agents; only installations are checked
    execute pg_catalog.format($sql$
        select i.name, i.tenant_id
          from (select distinct a.tenant_id, a.name, a.source_tenant_id, a.source_agent_id
                  from new_rows as n
                  join agents.agents as a on a.tenant_id = n.tenant_id and a.id = n.%I
                 where a.source_agent_id is not null) as i
         where not agents.may_use_agent(i.tenant_id, i.source_tenant_id, i.source_agent_id)
         limit 1
    $sql$, tg_argv[0]) into v_agent;
    if v_agent.name is not null then
        raise exception 'agent "%" is no longer shared with this organization', v_agent.name
            using errcode = '42501',
                  detail = pg_catalog.format('%s: no new rows for a shared agent whose grant was revoked or that was withdrawn',
                                             tg_table_schema || '.' || tg_table_name),
                  hint = 'its history stays readable; ask the agent''s owner to grant it again';
    end if;
    return null;
end;
$function$;

comment on function agents.tg_check_agent_use() is
'AFTER INSERT (or UPDATE) ... FOR EACH STATEMENT with transition table new_rows (_300_check_agent_use_*), TG_ARGV[0] the agent column: refuses the statement (42501) when a row names an installation of a shared agent its tenant may no longer use (agents.may_use_agent: grant revoked, agent withdrawn or no longer public); rows of other agents cost one join';
