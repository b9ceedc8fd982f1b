-- Trigger function: keep BM25 statistics and postings equal to the chunks.
create or replace function knowledge.tg_bm25()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $function$
begin
    -- each branch is planned only for its own event (the transition tables differ)
    if tg_op = 'INSERT' then
        perform knowledge.bm25_add(array(select n.tenant_id from new_rows as n order by n.tenant_id, n.id),
                                   array(select n.id from new_rows as n order by n.tenant_id, n.id),
                                   array(select n.search_text from new_rows as n order by n.tenant_id, n.id));
    elsif tg_op = 'DELETE' then
        perform knowledge.bm25_remove(array(select o.tenant_id from old_rows as o order by o.tenant_id, o.id),
                                      array(select o.id from old_rows as o order by o.tenant_id, o.id),
                                      array(select o.search_text from old_rows as o order by o.tenant_id, o.id));
    else
        perform knowledge.bm25_remove(
            array(select o.tenant_id from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id),
            array(select o.id from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id),
            array(select o.search_text from old_rows as o join new_rows as n using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by o.tenant_id, o.id));
        perform knowledge.bm25_add(
            array(select n.tenant_id from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id),
            array(select n.id from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id),
            array(select n.search_text from new_rows as n join old_rows as o using (tenant_id, id)
                   where o.search_text is distinct from n.search_text order by n.tenant_id, n.id));
    end if;
    return null;
end;
$function$;

comment on function knowledge.tg_bm25() is
'AFTER INSERT, UPDATE, DELETE ... FOR EACH STATEMENT on knowledge.chunks (_400_bm25_*): passes the statement''s rows (for updates, only those whose text changed) to knowledge.bm25_remove / bm25_add in one call each';
