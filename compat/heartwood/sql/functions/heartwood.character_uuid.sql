-- Map a Heartwood player id ('player_123') to agentdb's character of the current tenant.
create or replace function heartwood.character_uuid(p_player_id text)
returns uuid
language plpgsql
stable
security invoker
set search_path = ''
as $function$
declare
    v_id uuid;
begin
    if p_player_id is null then
        return null;
    end if;
    select c.id into v_id
      from core.characters as c
     where c.tenant_id = ops.require_tenant_id()
       and (c.attributes ->> 'heartwood_id' = p_player_id or c.id::text = p_player_id)
     limit 1;
    if v_id is null then
        raise exception 'player "%" does not exist in this tenant', p_player_id
            using errcode = '23503', hint = 'insert it into heartwood.characters first';
    end if;
    return v_id;
end;
$function$;

comment on function heartwood.character_uuid(text) is
'The core.characters id of the current tenant''s character whose Heartwood id (attributes ->> ''heartwood_id'', else its id) is p_player_id; raises 23503 when there is none';
