-- INSTEAD OF trigger of heartwood.characters: writes go to core.characters.
create or replace function heartwood.tg_characters()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from core.characters as c
         where c.tenant_id = v_tenant and coalesce(c.attributes ->> 'heartwood_id', c.id::text) = old.id;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        update core.characters as c
           set user_id = new.user_id, name = new.character_name,
               attributes = c.attributes || pg_catalog.jsonb_build_object('heartwood_id', new.id)
         where c.tenant_id = v_tenant and coalesce(c.attributes ->> 'heartwood_id', c.id::text) = old.id;
        return new;
    end if;
    insert into core.characters as c (tenant_id, user_id, name, attributes)
    values (v_tenant, new.user_id, new.character_name,
            case when new.id is null then '{}'::jsonb else pg_catalog.jsonb_build_object('heartwood_id', new.id) end)
    returning coalesce(c.attributes ->> 'heartwood_id', c.id::text) into new.id;
    return new;
end;
$function$;

comment on function heartwood.tg_characters() is
'INSTEAD OF insert, update and delete on heartwood.characters: a character is a core.characters row; its Heartwood player id (player_123) is kept in attributes ->> ''heartwood_id'' (else the id is its uuid)';
