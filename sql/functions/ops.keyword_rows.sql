-- The BM25 keyword leg for messages and memory documents: exact BM25 over the scope's
-- postings (ops.bm25_rows, as for chunks), filtered by the calling function's filter.
-- depends: ops.bm25_rows ops.filter_ranked_rows
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
declare
    v_scope text := case p_table when 'chat.messages'::regclass then 'messages'
                                 when 'memory.documents'::regclass then 'documents' end;
    v_wanted integer := p_k;
    v_returned integer;
    v_ids uuid[];
    v_scores double precision[];
begin
    if v_scope is null then
        raise exception 'no BM25 postings for %', p_table using errcode = '22023';
    end if;
    -- the filtered top k is the filtered prefix of the exact ranking: ask for k, and for 4
    -- times more while fewer than k pass and more rows match
    loop
        select b.returned, b.ids, b.scores into v_returned, v_ids, v_scores
          from (select count(*) as returned, pg_catalog.array_agg(r.id order by r.rank) as ranked_ids,
                       pg_catalog.array_agg(r.score order by r.rank) as ranked_scores
                  from ops.bm25_rows(v_scope, p_tenant_id, p_query, v_wanted, 'english') as r) as a
         cross join lateral (
             select a.returned, coalesce(f.ids, '{}') as ids, coalesce(f.scores, '{}') as scores
               from ops.filter_ranked_rows(p_table, p_tenant_id, a.ranked_ids, a.ranked_scores, p_k, p_filter,
                                           p_params) as f
         ) as b;
        exit when pg_catalog.cardinality(v_ids) >= p_k or v_returned < v_wanted;
        v_wanted := v_wanted * 4;
    end loop;
    return query
    select u.id, u.ord::integer, u.score from unnest(v_ids, v_scores) with ordinality as u (id, score, ord);
end;
$function$;

comment on function ops.keyword_rows(regclass, text, integer, uuid, text, jsonb) is
'BM25 leg shared by message and memory document search: the exact BM25 top p_k of p_table''s scope for the tenant (ops.bm25_rows over ops.bm25_postings: OR semantics, the tenant''s own statistics, english like search_text), keeping the rows that pass p_filter (SQL over alias t and the jsonb $3 = p_params, written by the calling function, never by a client); asks for 4 times more while fewer than p_k pass';
