-- The one error a worker gets for a task it no longer holds.
create or replace function work.raise_not_claimed(p_task_id uuid, p_agent_id uuid, p_attempt integer)
returns void
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    raise exception 'task % is not running under agent % (attempt %)', p_task_id, p_agent_id,
        coalesce(p_attempt::text, 'any')
        using errcode = '55000', hint = 'its lease may have expired and another worker reclaimed it';
end;
$function$;

comment on function work.raise_not_claimed(uuid, uuid, integer) is
'Raises SQLSTATE 55000 "task ... is not running under agent ...": what complete_task, fail_task and extend_lease say when the task is not (or no longer) this worker''s';
