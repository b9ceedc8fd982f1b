-- Map an ikigai agent id (an integer) to agentdb's agent of the current tenant.
create or replace function ikigai.agent_uuid(p_agent_id bigint)
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
     where a.tenant_id = ops.require_tenant_id() and a.metadata ->> 'ikigai_id' = p_agent_id::text;
    if v_id is null then
        raise exception 'agent % does not exist in this tenant', p_agent_id
            using errcode = '23503', hint = 'insert it into ikigai.agents first';
    end if;
    return v_id;
end;
$function$;

comment on function ikigai.agent_uuid(bigint) is
'The agents.agents id of the current tenant''s agent numbered p_agent_id (metadata ->> ''ikigai_id''); null for null; raises 23503 when there is none';
