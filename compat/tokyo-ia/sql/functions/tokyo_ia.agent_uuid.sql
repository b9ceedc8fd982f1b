-- Map a Tokyo-IA agent id ('akira-001') to agentdb's agent of the current tenant.
create or replace function tokyo_ia.agent_uuid(p_agent_id text)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    if p_agent_id is null then
        return null;
    end if;
    select a.id into v_id
      from agents.agents as a
     where a.tenant_id = ops.require_tenant_id() and a.slug = p_agent_id;
    if v_id is null then
        raise exception 'agent "%" does not exist in this tenant', p_agent_id
            using errcode = '23503', hint = 'insert it into tokyo_ia.agents first';
    end if;
    return v_id;
end;
$function$;

comment on function tokyo_ia.agent_uuid(text) is
'The agentdb id (agents.agents.id) of the current tenant''s agent whose slug is the Tokyo-IA agent id p_agent_id; null for null; raises 23503 when there is none';
