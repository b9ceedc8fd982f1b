-- The id of a tenant's agent named by slug, name or id: the one lookup every client uses.
create or replace function agents.resolve_agent(p_tenant_id uuid, p_agent text)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    -- a slug wins over a name, a name over an id given as text
    select a.id into v_id
      from agents.agents as a
     where a.tenant_id = p_tenant_id
       and (a.slug = p_agent or a.name = p_agent or a.id::text = p_agent)
     order by a.slug = p_agent desc nulls last, a.name = p_agent desc, a.id
     limit 1;
    if v_id is null then
        raise exception 'no agent % in tenant %', p_agent, p_tenant_id
            using errcode = 'P0002', hint = 'agents are looked up in the transaction''s tenant: pass --tenant';
    end if;
    return v_id;
end;
$function$;

comment on function agents.resolve_agent(uuid, text) is
'The id of the agent of tenant p_tenant_id whose slug, name or id (as text) is p_agent, a slug first; raises P0002 when there is none';
