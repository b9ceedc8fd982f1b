-- Map a Heartwood agent id ('elara_blacksmith') to agentdb's agent of the current tenant.
create or replace function heartwood.agent_uuid(p_agent_id text)
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
    select a.id into v_id from agents.agents as a where a.tenant_id = ops.require_tenant_id() and a.slug = p_agent_id;
    if v_id is null then
        raise exception 'agent "%" does not exist in this tenant', p_agent_id
            using errcode = '23503', hint = 'insert it into heartwood.agents first';
    end if;
    return v_id;
end;
$function$;

comment on function heartwood.agent_uuid(text) is
'The agents.agents id of the current tenant''s agent whose slug is the Heartwood agent id; null for null; raises 23503 when there is none';
