-- Trigger function: record who changed what in the audit log.
-- depends: ops.current_app_user_id ops.table_label
create or replace function ops.tg_audit()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
    v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
    v_row jsonb := coalesce(v_new, v_old);
    v_changed_old jsonb;
    v_changed_new jsonb;
begin
    if tg_op = 'UPDATE' then
        select pg_catalog.jsonb_object_agg(o.key, o.value), pg_catalog.jsonb_object_agg(o.key, v_new -> o.key)
          into v_changed_old, v_changed_new
          from pg_catalog.jsonb_each(v_old) as o
         where v_new -> o.key is distinct from o.value and o.key not in ('updated_at', 'search_text');
        if v_changed_old is null then
            return null;  -- nothing but bookkeeping changed
        end if;
    else
        v_changed_old := v_old - 'search_text';
        v_changed_new := v_new - 'search_text';
    end if;
    -- passwords and token hashes never enter the log, not even hashed
    v_changed_old := v_changed_old - 'password_hash' - 'token_hash' - 'embedding';
    v_changed_new := v_changed_new - 'password_hash' - 'token_hash' - 'embedding';
    insert into ops.audit_log (tenant_id, table_name, operation, row_id, old_values, new_values, db_role, app_user_id)
    values (
        coalesce((v_row ->> 'tenant_id')::uuid, case when tg_table_name = 'tenants' then (v_row ->> 'id')::uuid end,
                 '00000000-0000-0000-0000-000000000000'),
        ops.table_label(tg_relid),
        pg_catalog.lower(tg_op),
        v_row ->> 'id',
        v_changed_old,
        v_changed_new,
        current_user || case when current_user <> session_user then ' (session ' || session_user || ')' else '' end,
        ops.current_app_user_id()
    );
    return null;
end;
$function$;

comment on function ops.tg_audit() is
'AFTER INSERT, UPDATE, DELETE ... FOR EACH ROW (_950_audit) on audited tables: writes who (database role, application user), what (table, operation, row id, changed columns old and new; secrets and embeddings left out) and when to ops.audit_log, as the invoking role: the app role may insert into the log but not update or delete it';
