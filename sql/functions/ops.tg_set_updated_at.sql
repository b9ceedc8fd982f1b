-- Trigger function: keep updated_at current on every update that changes the row.
create or replace function ops.tg_set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if new is distinct from old then
        new.updated_at := pg_catalog.clock_timestamp();
    end if;
    return new;
end;
$function$;

comment on function ops.tg_set_updated_at() is
'BEFORE UPDATE trigger function: sets updated_at to the clock time when the row changed; attach as _100_set_updated_at';
