-- INSTEAD OF trigger of heartwood.users: writes go to core.users (hash-only passwords).
create or replace function heartwood.tg_users()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from core.users as u where u.tenant_id = v_tenant and u.id = old.id;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        update core.users as u set username = new.username, password_hash = new.password_hash
         where u.tenant_id = v_tenant and u.id = old.id;
        return new;
    end if;
    insert into core.users as u (tenant_id, id, username, password_hash, created_at)
    values (v_tenant, coalesce(new.id, ops.uuidv7()), new.username, new.password_hash,
            coalesce(new.created_at, pg_catalog.now()))
    returning u.id, u.created_at into new.id, new.created_at;
    return new;
end;
$function$;

comment on function heartwood.tg_users() is
'INSTEAD OF insert, update and delete on heartwood.users: accounts are core.users rows; password_hash must be a modular-crypt hash made by the client (core.users refuses anything else)';
