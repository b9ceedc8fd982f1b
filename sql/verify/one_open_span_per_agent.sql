-- description: At most one open context span per agent.
-- severity: error
-- fix: end all but the newest open span (chat.stop_context_span)
select
    tenant_id,
    agent_id,
    count(*) as open_spans
from chat.context_spans
where ended_at is null
group by tenant_id, agent_id
having count(*) > 1
order by 1, 2
