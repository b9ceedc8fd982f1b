-- INSTEAD OF trigger of tokyo_ia.agent_metrics: writes go to work.metrics.
-- depends: tokyo_ia.agent_uuid
create or replace function tokyo_ia.tg_agent_metrics()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from work.metrics as m
         where m.tenant_id = ops.require_tenant_id() and m.id = old.id and m.recorded_at = old.recorded_at;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        update work.metrics as m
           set agent_id = tokyo_ia.agent_uuid(new.agent_id), metric_type = new.metric_type,
               value = new.metric_value, unit = new.metric_unit, recorded_at = new.recorded_at,
               context = coalesce(new.context, '{}')
         where m.tenant_id = ops.require_tenant_id() and m.id = old.id and m.recorded_at = old.recorded_at;
        return new;
    end if;
    insert into work.metrics as m (tenant_id, id, agent_id, metric_type, value, unit, recorded_at, context)
    values (
        ops.require_tenant_id(), coalesce(new.id, ops.uuidv7()), tokyo_ia.agent_uuid(new.agent_id), new.metric_type,
        new.metric_value, new.metric_unit, coalesce(new.recorded_at, pg_catalog.now()), coalesce(new.context, '{}')
    )
    returning m.id, m.recorded_at, m.context into new.id, new.recorded_at, new.context;
    return new;
end;
$function$;

comment on function tokyo_ia.tg_agent_metrics() is
'INSTEAD OF insert, update and delete on tokyo_ia.agent_metrics: agent_id mapped from the slug, metric_value and metric_unit to value and unit of work.metrics (partitioned by month)';
