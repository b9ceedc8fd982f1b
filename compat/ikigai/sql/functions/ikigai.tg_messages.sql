-- INSTEAD OF trigger of ikigai.messages: writes go to chat.messages.
-- depends: ikigai.agent_uuid ikigai.project_uuid
create or replace function ikigai.tg_messages()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_tenant uuid := ops.require_tenant_id();
begin
    if tg_op = 'DELETE' then
        delete from chat.messages as m where m.tenant_id = v_tenant and m.id = old.id and m.created_at = old.created_at;
        return old;
    end if;
    if tg_op = 'UPDATE' then
        update chat.messages as m
           set content = new.content, tags = coalesce(new.tags, '{}'), focus = new.focus
         where m.tenant_id = v_tenant and m.id = old.id and m.created_at = old.created_at;
        return new;
    end if;
    insert into chat.messages as m (
        tenant_id, id, created_at, agent_id, role, content, user_name, machine, path, git_remote, project_id,
        context_span_id, tags, focus
    ) values (
        v_tenant, coalesce(new.id, ops.uuidv7()), coalesce(new.created_at, new."timestamp", pg_catalog.now()),
        ikigai.agent_uuid(new.agent_id), new.role, new.content, new.user_name, new.machine, new.path, new.git_remote,
        ikigai.project_uuid(new.project, new.git_remote, new.user_name), new.context_span_id,
        new.tags, new.focus
    )
    returning m.id, m.created_at, m.created_at, m.context_span_id, m.tags, m.focus
         into new.id, new.created_at, new."timestamp", new.context_span_id, new.tags, new.focus;
    return new;
end;
$function$;

comment on function ikigai.tg_messages() is
'INSTEAD OF insert, update and delete on ikigai.messages: a message is a chat.messages row with its identity; project by name, else derived from the git remote or @user_name; span, tags and focus from the agent''s open span when left out (tags null; an empty list given stays empty)';
