-- The name agentdb gave one of its roles in this cluster.
create or replace function ops.role_name(p_kind text)
returns text
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    return (select r.name from ops.roles as r where r.kind = p_kind);
end;
$function$;

comment on function ops.role_name(text) is
'The name of agentdb''s owner, app or readonly role (ops.roles), as configured when the roles were made';
