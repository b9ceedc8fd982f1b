-- Trigger function: enforce legal status changes and keep start/end times and duration.
create or replace function work.tg_track_status()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_now timestamptz := pg_catalog.clock_timestamp();
begin
    if tg_op = 'UPDATE' and new.status is distinct from old.status then
        if not (
            -- pending -> completed skips running (Tokyo-IA's clients do): no start, so no duration
            (old.status = 'pending' and new.status in ('running', 'completed', 'cancelled', 'failed'))
            or (old.status = 'running' and new.status in ('completed', 'failed', 'cancelled', 'pending'))
            or (old.status = 'failed' and new.status = 'pending')
        ) then
            raise exception '% %: cannot change status from % to %', tg_table_name, old.id, old.status, new.status
                using errcode = '23514',
                      hint = 'completed and cancelled are final; a failed one is retried by setting it to pending';
        end if;
        if old.status = 'failed' and new.status = 'pending' then
            new.retry_count := old.retry_count + 1;
        end if;
        if new.status = 'pending' then
            -- a retry or a released task starts afresh, unless the client set the times itself
            if new.started_at is not distinct from old.started_at then new.started_at := null; end if;
            if new.completed_at is not distinct from old.completed_at then new.completed_at := null; end if;
        end if;
    end if;

    if new.status = 'running' and new.started_at is null then
        new.started_at := v_now;
    end if;
    if new.status in ('completed', 'failed', 'cancelled') then
        -- before a terminal status completed_at is always null, so a value here was set by the client
        if new.completed_at is null then
            new.completed_at := v_now;
        end if;
        if new.started_at is not null and new.completed_at < new.started_at then
            raise exception '% %: completed_at % is before started_at %', tg_table_name, new.id,
                new.completed_at, new.started_at using errcode = '23514';
        end if;
    else
        new.completed_at := null;
    end if;
    -- (on Citus the trigger fires on a shard: work.tasks_102345)
    if tg_table_name ~ '^tasks(_[0-9]+)?$' and new.status <> 'running' then
        new.lease_expires_at := null;  -- a lease only means something while running
    end if;
    new.duration_ms := case
        when new.started_at is not null and new.completed_at is not null
        then greatest(0, pg_catalog.round(extract(epoch from new.completed_at - new.started_at) * 1000))::bigint
    end;
    return new;
end;
$function$;

comment on function work.tg_track_status() is
'BEFORE INSERT OR UPDATE on work.tasks and work.workflows (_500_track_status): refuses illegal status changes (completed and cancelled are final; failed only back to pending, counting a retry; pending may go straight to completed, leaving started_at and duration_ms null); sets started_at when work starts and completed_at when it ends in any terminal status, never over a time the client set; duration_ms = completed_at - started_at, never negative';
