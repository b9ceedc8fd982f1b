-- INSTEAD OF trigger of tokyo_ia.user_sessions: writes go to core.user_sessions, the
-- token only as its sha256.
create or replace function tokyo_ia.tg_user_sessions()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_user uuid;
begin
    if tg_op = 'DELETE' then
        delete from core.user_sessions as s where s.tenant_id = ops.require_tenant_id() and s.id = old.id;
        return old;
    end if;
    select u.id into v_user
      from core.users as u
     where u.tenant_id = ops.require_tenant_id()
       and (u.external_id = new.user_id or u.username = new.user_id or u.id::text = new.user_id)
     order by u.external_id = new.user_id desc
     limit 1;
    if v_user is null then
        raise exception 'user "%" does not exist in this tenant', new.user_id using errcode = '23503';
    end if;
    if tg_op = 'UPDATE' then
        update core.user_sessions as s
           set user_id = v_user,
               token_hash = case when new.session_token is distinct from old.session_token
                                 then pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(new.session_token, 'UTF8')), 'hex')
                                 else s.token_hash end,
               device = coalesce(new.device_info, '{}'), ip_address = new.ip_address,
               last_activity_at = new.last_activity_at, expires_at = new.expires_at, status = new.status,
               revoked_at = case when new.status = 'revoked' then coalesce(s.revoked_at, pg_catalog.now()) end
         where s.tenant_id = ops.require_tenant_id() and s.id = old.id
        returning s.token_hash into new.session_token;
        return new;
    end if;
    insert into core.user_sessions as s (
        tenant_id, id, user_id, token_hash, device, ip_address, started_at, last_activity_at, expires_at, status,
        revoked_at
    ) values (
        ops.require_tenant_id(), coalesce(new.id, ops.uuidv7()), v_user,
        pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(new.session_token, 'UTF8')), 'hex'),
        coalesce(new.device_info, '{}'), new.ip_address, coalesce(new.started_at, pg_catalog.now()),
        coalesce(new.last_activity_at, pg_catalog.now()), new.expires_at, coalesce(new.status, 'active'),
        case when new.status = 'revoked' then pg_catalog.now() end
    )
    returning s.id, s.token_hash, s.started_at, s.last_activity_at, s.status
         into new.id, new.session_token, new.started_at, new.last_activity_at, new.status;
    return new;
end;
$function$;

comment on function tokyo_ia.tg_user_sessions() is
'INSTEAD OF insert, update and delete on tokyo_ia.user_sessions: user_id names a user of the tenant by external id, username or id; the session token is stored only as its sha256 hex digest (what session_token reads back as); status revoked records revoked_at';
