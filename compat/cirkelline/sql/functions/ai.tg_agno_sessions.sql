-- INSTEAD OF trigger of ai.agno_sessions: writes go to chat.conversations.
-- depends: ai.user_uuid
create or replace function ai.tg_agno_sessions()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    if tg_op = 'DELETE' then
        delete from chat.conversations as c where c.tenant_id = ops.require_tenant_id() and c.id = old.session_id;
        return old;
    end if;
    if tg_op = 'INSERT' then
        insert into chat.conversations as c (tenant_id, id, user_id, title, created_at, archived_at)
        values (
            ops.require_tenant_id(), coalesce(new.session_id, new.id, ops.uuidv7()), ai.user_uuid(new.user_id),
            new.name, coalesce(new.created_at, pg_catalog.now()),
            case when new.is_archived then pg_catalog.now() end
        )
        returning c.id, c.id, c.created_at, c.updated_at, c.archived_at is not null
             into new.id, new.session_id, new.created_at, new.updated_at, new.is_archived;
        return new;
    end if;
    update chat.conversations as c
       set user_id = ai.user_uuid(new.user_id), title = new.name,
           archived_at = case when new.is_archived then coalesce(c.archived_at, pg_catalog.now()) end
     where c.tenant_id = ops.require_tenant_id() and c.id = old.session_id
    returning c.updated_at into new.updated_at;
    return new;
end;
$function$;

comment on function ai.tg_agno_sessions() is
'INSTEAD OF insert, update and delete on ai.agno_sessions: a session is a chat.conversations row (id = session_id), user_id names the user by external id, is_archived sets or clears archived_at (a soft delete)';
