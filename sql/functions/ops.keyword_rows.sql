-- The full-text leg for any table with search_text: a tenant's best rows by ts_rank_cd.
create or replace function ops.keyword_rows(
    p_table regclass,
    p_query text,
    p_k integer,
    p_tenant_id uuid,
    p_filter text default null,
    p_params jsonb default null
)
returns table (id uuid, rank integer, score double precision)
language plpgsql
stable
security invoker
set search_path = ''
as $function$
begin
    return query execute pg_catalog.format($sql$
        select s.id, (row_number() over (order by s.score desc, s.id))::integer, s.score
          from (
              select t.id, pg_catalog.ts_rank_cd(t.search_text, q.query)::double precision as score
                from %1$s as t, pg_catalog.websearch_to_tsquery('english'::regconfig, $1) as q (query)
               where t.tenant_id = $2 and t.search_text @@ q.query and (%2$s)
               order by score desc, t.id
               limit $4
          ) as s
         order by s.score desc, s.id
    $sql$, p_table, coalesce(p_filter, 'true')) using p_query, p_tenant_id, coalesce(p_params, '{}'::jsonb), p_k;
end;
$function$;

comment on function ops.keyword_rows(regclass, text, integer, uuid, text, jsonb) is
'Full-text leg shared by the search functions: the p_k rows of p_table (alias t) of the tenant matching websearch_to_tsquery(p_query), best ts_rank_cd first, filtered by p_filter (SQL over t and the jsonb $3 = p_params, written by the calling function, never by a client)';
