-- Keep the rows of a ranking that pass a search function's filter, in rank order.
create or replace function ops.filter_ranked_rows(
    p_table regclass,
    p_tenant_id uuid,
    p_ids uuid[],
    p_scores double precision[],
    p_k integer,
    p_filter text,
    p_params jsonb
)
returns table (ids uuid[], scores double precision[])
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    if p_ids is null then
        ids := '{}';
        scores := '{}';
        return next;
        return;
    end if;
    -- without a filter too, a row is kept only when the caller can read it: the postings
    -- are per tenant, row-level security (per-user isolation) is per row
    return query execute pg_catalog.format($sql$
        select coalesce(pg_catalog.array_agg(s.id order by s.ord), '{}'),
               coalesce(pg_catalog.array_agg(s.score order by s.ord), '{}')
          from (
              select u.id, u.score, u.ord
                from unnest($1::uuid[], $4::double precision[]) with ordinality as u (id, score, ord)
               where exists (select from %1$s as t where t.tenant_id = $2 and t.id = u.id and (%2$s))
               order by u.ord
               limit $5
          ) as s
    $sql$, p_table, coalesce(p_filter, 'true')) using p_ids, p_tenant_id, coalesce(p_params, '{}'::jsonb), p_scores, p_k;
end;
$function$;

comment on function ops.filter_ranked_rows(regclass, uuid, uuid[], double precision[], integer, text, jsonb) is
'The first p_k of the ranked ids (with their scores) whose row in p_table (alias t) of the tenant passes p_filter (SQL over t and the jsonb $3 = p_params, written by the calling function, never by a client); without a filter, the first p_k the caller can read (row-level security: another user''s rows of an isolating tenant are dropped)';
