-- How other organizations use one of the current organization's shared agents: counts only.
create or replace function agents.shared_agent_usage(p_agent_id uuid)
returns table (
    tenant_id uuid,
    tenant_slug text,
    access text,
    installed_at timestamptz,
    revoked_at timestamptz,
    conversations bigint,
    messages bigint,
    agent_states bigint,
    knowledge_chunks bigint,
    last_used_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $function$
#variable_conflict use_column
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    -- security definer: counts rows of other organizations for the agent's owner and
    -- returns nothing but the counts
    if not exists (select 1 from agents.shared_agents as s where s.owner_tenant_id = v_tenant and s.agent_id = p_agent_id) then
        raise exception 'agent % is not shared by this organization', p_agent_id using errcode = 'P0002';
    end if;
    return query
    select i.tenant_id, t.slug,
           case when g.grantee_tenant_id is not null then 'granted' else 'public' end,
           i.created_at, g.revoked_at,
           (select count(*) from chat.conversations as c where c.tenant_id = i.tenant_id and c.agent_id = i.id),
           (select count(*) from chat.messages as m where m.tenant_id = i.tenant_id and m.agent_id = i.id),
           (select count(*) from agents.agent_states as st where st.tenant_id = i.tenant_id and st.agent_id = i.id),
           (select count(*) from knowledge.chunks as k where k.tenant_id = i.tenant_id and k.agent_id = i.id),
           (select max(m.created_at) from chat.messages as m where m.tenant_id = i.tenant_id and m.agent_id = i.id)
      from agents.agents as i
      join core.tenants as t on i.tenant_id = t.id
      left join agents.shared_agent_grants as g
        on g.owner_tenant_id = i.source_tenant_id and g.agent_id = i.source_agent_id and g.grantee_tenant_id = i.tenant_id
     where i.source_tenant_id = v_tenant and i.source_agent_id = p_agent_id
     order by t.slug;
end;
$function$;

comment on function agents.shared_agent_usage(uuid) is
'For the agent''s owner organization (the current tenant): one row per organization that installed shared agent p_agent_id: how it has access (granted or public), when it installed it, when its grant was revoked, and how many conversations, messages, agent states and knowledge chunks it has with it, and its last message; never a row''s content. Security definer: the rows counted belong to other organizations';
