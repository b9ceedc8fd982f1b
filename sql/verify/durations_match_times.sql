-- description: Every finished task and workflow has duration_ms equal to completed_at minus started_at.
-- severity: error
-- fix: a trigger was bypassed; update the rows so the times and duration agree
select
    'work.tasks' as "table",
    id,
    duration_ms,
    round(extract(epoch from completed_at - started_at) * 1000)::bigint as expected
from work.tasks
where duration_ms is distinct from round(extract(epoch from completed_at - started_at) * 1000)::bigint
union all
select
    'work.workflows' as "table",
    id,
    duration_ms,
    round(extract(epoch from completed_at - started_at) * 1000)::bigint as expected
from work.workflows
where duration_ms is distinct from round(extract(epoch from completed_at - started_at) * 1000)::bigint
order by 1, 2
