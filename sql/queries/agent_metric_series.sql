-- description: An agent's metric as a time series in buckets of a given interval (count, mean, min, max per bucket).
-- param: tenant text = personal  Tenant slug, id or external id
-- param: agent text  Agent slug, name or id
-- param: metric_type text  e.g. latency, tokens, cost
-- param: bucket interval = '1 hour'  Bucket width
-- param: since timestamptz = null  Window start (default: 24 hours ago)
-- param: until timestamptz = null  Window end (default: now)
select
    date_bin(:bucket, m.recorded_at, timestamptz '2000-01-01 00:00:00+00') as bucket_start,
    count(*) as samples,
    avg(m.value) as mean,
    min(m.value) as minimum,
    max(m.value) as maximum
from work.metrics as m
inner join agents.agents as a on m.tenant_id = a.tenant_id and m.agent_id = a.id
where
    m.tenant_id = (select core.resolve_tenant(:tenant))
    and (a.slug = :agent or a.name = :agent or a.id::text = :agent)
    and m.metric_type = :metric_type
    and m.recorded_at >= coalesce(:since, now() - interval '24 hours')
    and m.recorded_at < coalesce(:until, now())
group by 1
order by 1
