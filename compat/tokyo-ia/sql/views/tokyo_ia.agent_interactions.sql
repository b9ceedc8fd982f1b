-- Tokyo-IA agent_interactions: agentdb's work.interactions with the agents' slugs.
-- depends: tokyo_ia.tg_agent_interactions
create or replace view tokyo_ia.agent_interactions
with (security_invoker = true)
as
select
    i.id,
    i.workflow_id,
    f.slug as from_agent_id,
    t.slug as to_agent_id,
    i.interaction_type,
    i.message,
    i.payload,
    i.created_at
from work.interactions as i
inner join agents.agents as f on i.tenant_id = f.tenant_id and i.from_agent_id = f.id
inner join agents.agents as t on i.tenant_id = t.tenant_id and i.to_agent_id = t.id;

create or replace trigger tokyo_ia_agent_interactions_write
instead of insert or update or delete on tokyo_ia.agent_interactions
for each row execute function tokyo_ia.tg_agent_interactions();

comment on view tokyo_ia.agent_interactions is 'Tokyo-IA agent_interactions (work.interactions): handoff, collaboration, review, feedback between two agents of a workflow';
comment on column tokyo_ia.agent_interactions.id is 'Interaction id';
comment on column tokyo_ia.agent_interactions.workflow_id is 'Workflow it belongs to';
comment on column tokyo_ia.agent_interactions.from_agent_id is 'Sending agent (slug)';
comment on column tokyo_ia.agent_interactions.to_agent_id is 'Receiving agent (slug)';
comment on column tokyo_ia.agent_interactions.interaction_type is 'handoff, collaboration, review, feedback';
comment on column tokyo_ia.agent_interactions.message is 'Message text';
comment on column tokyo_ia.agent_interactions.payload is 'Structured payload';
comment on column tokyo_ia.agent_interactions.created_at is 'When it happened';
