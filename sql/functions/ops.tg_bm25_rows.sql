-- Trigger function: keep the BM25 statistics and postings of messages or memory documents
-- (the scope is the trigger's argument) equal to the rows' search_text.
-- depends: ops.bm25_add_rows ops.bm25_remove_rows
create or replace function ops.tg_bm25_rows()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
declare
    v_scope text := tg_argv[0];
    v_tenant_ids uuid[];
    v_ids uuid[];
    v_texts tsvector[];
begin
    -- search_text is a stored column on both tables, so the transition tables carry it;
    -- arrays ordered by (tenant_id, id) so concurrent statements lock terms in one order
    if tg_op = 'INSERT' then
        select array_agg(n.tenant_id order by n.tenant_id, n.id), array_agg(n.id order by n.tenant_id, n.id),
               array_agg(n.search_text order by n.tenant_id, n.id)
          into v_tenant_ids, v_ids, v_texts
          from new_rows as n;
        perform ops.bm25_add_rows(v_scope, v_tenant_ids, v_ids, v_texts);
    elsif tg_op = 'DELETE' then
        select array_agg(o.tenant_id order by o.tenant_id, o.id), array_agg(o.id order by o.tenant_id, o.id),
               array_agg(o.search_text order by o.tenant_id, o.id)
          into v_tenant_ids, v_ids, v_texts
          from old_rows as o;
        perform ops.bm25_remove_rows(v_scope, v_tenant_ids, v_ids, v_texts);
    else
        -- only re-worded rows leave and re-enter
        select array_agg(o.tenant_id order by o.tenant_id, o.id), array_agg(o.id order by o.tenant_id, o.id),
               array_agg(o.search_text order by o.tenant_id, o.id)
          into v_tenant_ids, v_ids, v_texts
          from old_rows as o
          join new_rows as n on n.tenant_id = o.tenant_id and n.id = o.id
         where o.search_text is distinct from n.search_text;
        perform ops.bm25_remove_rows(v_scope, v_tenant_ids, v_ids, v_texts);
        select array_agg(n.tenant_id order by n.tenant_id, n.id), array_agg(n.id order by n.tenant_id, n.id),
               array_agg(n.search_text order by n.tenant_id, n.id)
          into v_tenant_ids, v_ids, v_texts
          from new_rows as n
          join old_rows as o on o.tenant_id = n.tenant_id and o.id = n.id
         where o.search_text is distinct from n.search_text;
        perform ops.bm25_add_rows(v_scope, v_tenant_ids, v_ids, v_texts);
    end if;
    return null;
end;
$function$;

comment on function ops.tg_bm25_rows() is
'AFTER INSERT, UPDATE, DELETE ... FOR EACH STATEMENT on chat.messages and memory.documents (_400_bm25_*, argument: the scope): passes the statement''s rows (for updates, only those whose search_text changed) to ops.bm25_remove_rows / ops.bm25_add_rows in one call each';
