-- Apply every enabled retention policy, each in its own transaction.
-- depends: ops.apply_retention_policy
create or replace procedure ops.apply_retention()
language plpgsql
security invoker
set search_path = ''
as $procedure$
declare
    v_id integer;
begin
    for v_id in select p.id from ops.retention_policies as p where p.is_enabled order by p.id loop
        perform ops.apply_retention_policy(v_id);
        commit;
    end loop;
end;
$procedure$;

-- the LT01 finding on the next line is spurious: the linter does not parse "comment on procedure"
comment on procedure ops.apply_retention() is -- noqa: LT01
'CALL ops.apply_retention(): every enabled retention policy, committing after each (for cron jobs without agentdb; agentdb maintain does the same and reports)';
