-- INSTEAD OF trigger of ikigai.agents: writes go to agents.agents.
-- depends: ikigai.agent_uuid ikigai.project_uuid
create or replace function ikigai.tg_agents()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
    v_owner uuid;
begin
    if tg_op = 'DELETE' then
        delete from agents.agents as a where a.tenant_id = v_tenant and a.id = ikigai.agent_uuid(old.id);
        return old;
    end if;
    new.id := coalesce(new.id, pg_catalog.nextval('ikigai.agents_id_seq'));
    if (tg_op = 'INSERT' or new.id <> old.id) and exists (
        select 1 from agents.agents as a where a.tenant_id = v_tenant and a.metadata ->> 'ikigai_id' = new.id::text
    ) then
        raise exception 'ikigai agent id % is taken', new.id using errcode = '23505';
    end if;
    if new.user_id is not null then
        select u.id into v_owner
          from core.users as u
         where u.tenant_id = v_tenant and (u.username = new.user_id or u.external_id = new.user_id)
         limit 1;
        if v_owner is null then
            raise exception 'user "%" does not exist in this tenant', new.user_id using errcode = '23503';
        end if;
    end if;
    if tg_op = 'INSERT' then
        insert into agents.agents as a (tenant_id, name, project_id, owner_user_id, metadata, created_at)
        values (v_tenant, new.name, ikigai.project_uuid(new.project), v_owner,
                pg_catalog.jsonb_build_object('ikigai_id', new.id), coalesce(new.created_at, pg_catalog.now()))
        returning a.created_at into new.created_at;
        return new;
    end if;
    update agents.agents as a
       set name = new.name, project_id = ikigai.project_uuid(new.project), owner_user_id = v_owner,
           metadata = a.metadata || pg_catalog.jsonb_build_object('ikigai_id', new.id)
     where a.tenant_id = v_tenant and a.id = ikigai.agent_uuid(old.id);
    return new;
end;
$function$;

comment on function ikigai.tg_agents() is
'INSTEAD OF insert, update and delete on ikigai.agents: an agent is an agents.agents row; its ikigai integer id (given, else from ikigai.agents_id_seq) is kept in metadata ->> ''ikigai_id'', unique per tenant; project by name (made on first use); user_id names a user by username or external id';
