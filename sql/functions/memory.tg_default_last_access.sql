-- Trigger function: a memory inserted without a last access was last touched when it was formed.
create or replace function memory.tg_default_last_access()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    new.last_accessed_at := coalesce(new.last_accessed_at, new.created_at);
    return new;
end;
$function$;

comment on function memory.tg_default_last_access() is
'BEFORE INSERT on memory.memories (_150_default_last_access): last_accessed_at defaults to created_at, so recency of a memory never accessed counts from its creation (a memory formed 300 hours ago is not as recent as one formed now)';
