-- description: A conversation with its messages in order, each with its attachments as a JSON array (AJ Copilot).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: conversation uuid  The conversation id
select
    m.created_at,
    m.role,
    -- the agent's name as a scalar subquery: Citus refuses the left join to agents.agents beside
    -- the lateral join below under row-level security ("complex joins ...")
    (select a.name from agents.agents as a where a.tenant_id = m.tenant_id and a.id = m.agent_id) as agent,
    m.content,
    m.parts,
    coalesce(att.files, '[]'::jsonb) as attachments
from chat.messages as m
left join lateral (
    select
        jsonb_agg(
            jsonb_build_object(
                'file_id', f.id, 'name', f.name, 'kind', f.kind, 'content_type', f.content_type,
                'size_bytes', f.size_bytes, 'workspace_path', f.workspace_path
            ) order by mf.position, f.name
        ) as files
    from chat.message_files as mf
    inner join chat.files as f on mf.tenant_id = f.tenant_id and mf.file_id = f.id
    where mf.tenant_id = m.tenant_id and mf.message_id = m.id and mf.message_created_at = m.created_at
) as att on true
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and m.conversation_id = :conversation
order by m.created_at, m.id
