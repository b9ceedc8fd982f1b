-- Undo 0015_user_isolation: the user_isolation policies and the documents' owning user.
do $block$
declare
    v_table regclass;
begin
    for v_table in select p.polrelid::regclass from pg_catalog.pg_policy as p where p.polname = 'user_isolation' loop
        execute pg_catalog.format('drop policy user_isolation on %s', v_table);
    end loop;
end
$block$;
-- cascade: SQL-standard functions that read whole document rows (memory.resolve_reference)
-- go with the column; the next agentdb migrate re-creates them (agentdb status lists them)
alter table memory.documents drop column user_id cascade;
alter table knowledge.documents drop column user_id cascade;
