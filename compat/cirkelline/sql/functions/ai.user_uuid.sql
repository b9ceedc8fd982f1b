-- Map a cirkelline user id ('user-123') to the agentdb user of the current tenant.
create or replace function ai.user_uuid(p_user_id text)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    if p_user_id is null then
        return null;
    end if;
    select u.id into v_id
      from core.users as u
     where u.tenant_id = ops.require_tenant_id()
       and (u.external_id = p_user_id or u.id::text = p_user_id)
     order by u.external_id = p_user_id desc
     limit 1;
    if v_id is null then
        raise exception 'user "%" does not exist in this tenant', p_user_id
            using errcode = '23503', hint = 'add it to core.users with external_id = the cirkelline user id';
    end if;
    return v_id;
end;
$function$;

comment on function ai.user_uuid(text) is
'The core.users id of the current tenant''s user whose external_id (else id) is the cirkelline user id p_user_id; null for null; raises 23503 when there is none';
