-- Exact BM25 top-k of one scope (chunks, messages, documents) without reading whole
-- postings lists: a threshold algorithm over the score-ordered postings.
-- depends: ops.bm25_scope_postings ops.bm25_scope_terms ops.bm25_scope_stats
create or replace function ops.bm25_rows(
    p_scope text,
    p_tenant_id uuid,
    p_query text,
    p_k integer,
    p_config regconfig default null,
    p_k1 double precision default 1.2,
    p_b double precision default 0.75
)
returns table (id uuid, rank integer, score double precision)
language plpgsql
stable
rows 10
security invoker
set search_path = ''
as $function$
declare
    v_config regconfig := coalesce(p_config, (select t.text_search_config from core.tenants as t
                                                where t.id = p_tenant_id), 'english');
    v_n double precision;
    v_avgdl double precision;
    v_factor double precision;
    v_terms text[];
    v_idf double precision[];
    v_postings bigint;
    v_depth integer := greatest(p_k * 5, 100);
    v_done boolean;
    v_resolved boolean;
    v_ids uuid[];
    v_scores double precision[];
    v_c1 double precision;
    v_c2 double precision;
    v_c3 double precision;
    v_margin integer := 32;
    v_cut boolean;
begin
    if p_k is null or p_k < 1 then
        raise exception 'k must be 1 or more' using errcode = '22023';
    end if;
    -- an unseen posting scores at most its stored score (k1 1.2, b 0.75 at normalized_avgdl)
    -- times v_factor: 1 unless the average length grew since, plus real rounding. Other k1
    -- and b have no bound from the stored order: every posting is read (textbook BM25).
    select s.doc_count, s.total_length::double precision / s.doc_count,
           case when p_k1 = 1.2 and p_b = 0.75
                then greatest(1, s.total_length::double precision / s.doc_count / coalesce(s.normalized_avgdl, 1))
                     * (1 + 1e-6) end
      into v_n, v_avgdl, v_factor
      from ops.bm25_scope_stats as s
     where s.scope = p_scope and s.tenant_id = p_tenant_id and s.doc_count > 0;
    if v_n is null then
        return;
    end if;
    select pg_catalog.array_agg(t.term order by t.term),
           pg_catalog.array_agg(pg_catalog.ln(1 + (v_n - t.doc_freq + 0.5) / (t.doc_freq + 0.5)) order by t.term),
           sum(t.doc_freq)
      into v_terms, v_idf, v_postings
      from ops.bm25_scope_terms as t
     where t.scope = p_scope and t.tenant_id = p_tenant_id and t.doc_freq > 0
       and t.term = any(pg_catalog.tsvector_to_array(pg_catalog.to_tsvector(v_config, coalesce(p_query, ''))));
    if v_terms is null then
        return;
    end if;
    -- reading prefixes pays only while they are a small part of the lists (under 1/32: on
    -- the real corpora of docs/benchmarks.md a prefix round with its lookups cost 6x one
    -- pass); past that one pass over every posting of the query terms is cheaper (and exact)
    while v_factor is not null and v_depth::bigint * pg_catalog.cardinality(v_terms) * 32 < v_postings loop
        -- read each term's best v_depth postings; their contributions are exact. A row seen in
        -- some prefixes scores at most its seen part plus the other terms' bounds (idf times the
        -- last stored score read); a row seen in none at most the sum of all bounds. Rows whose
        -- bound reaches the k-th best seen part get their missing terms looked up, so their
        -- scores are exact; done when the k-th exact score beats every unseen row's bound.
        with w as (
            select u.term, u.idf from unnest(v_terms, v_idf) as u (term, idf)
        ),
        pre as (
            select w.term, w.idf, p.row_id, p.tf_norm,
                   w.idf * p.tf * (p_k1 + 1) / (p.tf + p_k1 * (1 - p_b + p_b * p.doc_length / v_avgdl)) as part
              from w
             cross join lateral (
                 select x.row_id, x.tf, x.doc_length, x.tf_norm
                   from ops.bm25_scope_postings as x
                  where x.scope = p_scope and x.tenant_id = p_tenant_id and x.term = w.term
                  order by x.tf_norm desc, x.row_id
                  limit v_depth
             ) as p
        ),
        bounds as (
            select pre.term,
                   case when count(*) < v_depth then 0 else min(pre.idf) * min(pre.tf_norm) * v_factor end as bound
              from pre
             group by pre.term
        ),
        total as (
            select coalesce(sum(b.bound), 0) as bound from bounds as b
        ),
        docs as (
            select pre.row_id, sum(pre.part) as partial, sum(b.bound) as seen_bound,
                   pg_catalog.array_agg(pre.term) as seen
              from pre
              join bounds as b on b.term = pre.term
             group by pre.row_id
        ),
        kth as (
            select coalesce((select d.partial from docs as d order by d.partial desc offset p_k - 1 limit 1), 0)
                       as partial
        ),
        contenders as (
            select d.row_id, d.partial, d.seen
              from docs as d
             cross join total
             cross join kth
             where d.partial + total.bound - d.seen_bound >= kth.partial
        ),
        missing as (
            -- one index probe per contender and missing term, unless that would cost more
            -- than a pass over every posting (then the round gives up: v_done stays false)
            select c.row_id,
                   sum(w.idf * x.tf * (p_k1 + 1) / (x.tf + p_k1 * (1 - p_b + p_b * x.doc_length / v_avgdl)))
                       as part
              from contenders as c
             cross join w
              join bounds as b on b.term = w.term and b.bound > 0
             cross join lateral (
                 select y.tf, y.doc_length
                   from ops.bm25_scope_postings as y
                  where y.scope = p_scope and y.tenant_id = p_tenant_id and y.term = w.term and y.row_id = c.row_id
             ) as x
             where w.term <> all(c.seen)
               -- a one-time filter: no probe at all when the round gives up
               and (select count(*) from contenders) * pg_catalog.cardinality(v_terms) * 8 < v_postings
             group by c.row_id
        ),
        exact as (
            select c.row_id, c.partial + coalesce(m.part, 0) as score
              from contenders as c
              left join missing as m on m.row_id = c.row_id
        ),
        top as (
            select e.row_id, e.score from exact as e order by pg_catalog.round(e.score::numeric, 9) desc, e.row_id limit p_k
        )
        select (select count(*) from contenders) * pg_catalog.cardinality(v_terms) * 8 < v_postings,
               total.bound = 0
               or ((select count(*) from top) = p_k and (select min(top.score) from top) > total.bound + 1e-9),
               array(select top.row_id from top order by pg_catalog.round(top.score::numeric, 9) desc, top.row_id),
               array(select top.score from top order by pg_catalog.round(top.score::numeric, 9) desc, top.row_id)
          into v_resolved, v_done, v_ids, v_scores
          from total;
        if v_resolved and v_done then
            return query
            select u.id, u.ord::integer, u.score from unnest(v_ids, v_scores) with ordinality as u (id, score, ord);
            return;
        end if;
        exit when not v_resolved;
        v_depth := v_depth * 4;
    end loop;
    -- one pass: every posting of the query terms scored (the constants of the formula folded
    -- once: k1 + 1, k1 (1 - b), k1 b / avgdl), summed per row; only the best p_k + v_margin
    -- rows by the float score leave the aggregate (a top-N sort, nothing materialized), then
    -- those within 1e-6 of the k-th (scores equal to 9 decimals tie, by id) are ordered
    -- exactly: the numeric rounding runs on those few rows. Should every one of the best
    -- p_k + v_margin lie within 1e-6 of the k-th, the margin may have cut a tie: again with a
    -- margin 16 times larger
    v_c1 := p_k1 + 1;
    v_c2 := p_k1 * (1 - p_b);
    v_c3 := p_k1 * p_b / v_avgdl;
    loop
        with best as materialized (
            select x.row_id, sum(u.idf * x.tf * v_c1 / (x.tf + v_c2 + v_c3 * x.doc_length)) as total
              from unnest(v_terms, v_idf) as u (term, idf)
             -- lateral: one index range per term (a join may hash the whole table)
             cross join lateral (
                 select y.row_id, y.tf, y.doc_length
                   from ops.bm25_scope_postings as y
                  where y.scope = p_scope and y.tenant_id = p_tenant_id and y.term = u.term
             ) as x
             group by x.row_id
             order by total desc
             limit p_k + v_margin
        ),
        kth as (
            select coalesce((select b.total from best as b order by b.total desc offset p_k - 1 limit 1),
                            '-infinity'::double precision) - 1e-6 as total
        ),
        s as (
            select b.row_id, b.total, pg_catalog.round(b.total::numeric, 9) as tied
              from best as b
             cross join kth
             where b.total >= kth.total
             order by tied desc, b.row_id
             limit p_k
        )
        select array(select s.row_id from s order by s.tied desc, s.row_id),
               array(select s.total from s order by s.tied desc, s.row_id),
               (select count(*) from best) = p_k + v_margin
               and (select min(b.total) from best as b) >= (select kth.total from kth)
          into v_ids, v_scores, v_cut;
        exit when not v_cut;
        v_margin := v_margin * 16;
    end loop;
    return query
    select u.id, u.ord::integer, u.score from unnest(v_ids, v_scores) with ordinality as u (id, score, ord);
end;
$function$;

comment on function ops.bm25_rows(text, uuid, text, integer, regconfig, double precision, double precision) is
'Exact BM25 top p_k of a tenant''s scope (chunks, messages, documents): query terms parsed with p_config (default the tenant''s text search configuration), OR semantics, score = sum over matching terms of ln(1 + (N - n + 0.5) / (n + 0.5)) * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) with the tenant''s own N, n, avgdl; scores equal to 9 decimals (sums in another order) tie, ties by id. A threshold algorithm over each term''s score-ordered postings (ops.bm25_scope_postings): reads prefixes of max(5k, 100) postings, then 4 times more, looks up the missing terms of the rows that could still enter the top k, and stops once the k-th exact score beats the bound on every unseen row; once the prefixes would reach 1/32 of the query terms'' postings (and for k1 and b other than 1.2 / 0.75) it scores every posting in one pass instead. Same results as textbook BM25 either way';
