-- The vector leg over chunks: nearest chunks of one model, filtered, via its HNSW index.
-- depends: knowledge.tenant_embedding_index_name
create or replace function knowledge.search_chunks_vector(
    p_tenant_id uuid,
    p_model_id integer,
    p_query public.vector,
    p_k integer default 10,
    p_agent_id uuid default null,
    p_document_ids uuid[] default null,
    p_metadata jsonb default null,
    p_since timestamptz default null,
    p_until timestamptz default null,
    p_ef_search integer default null
)
returns table (chunk_id uuid, document_id uuid, rank integer, distance double precision, similarity double precision)
language plpgsql
volatile
rows 10
security invoker
set search_path = ''
set hnsw.iterative_scan = 'relaxed_order'
as $function$
declare
    v_model record;
    v_rows real;
    v_planned boolean;
    v_sql text;
    v_name text;
    v_old text;
    v_prepare text;
    v_found text;
    v_ids uuid[];
    v_documents uuid[];
    v_distances double precision[];
    v_similarities double precision[];
begin
    if p_k is null or p_k < 1 then
        raise exception 'k must be 1 or more' using errcode = '22023';
    end if;
    select m.dimensions, m.distance, m.index_storage into v_model
      from knowledge.embedding_models as m where m.id = p_model_id;
    if not found then
        raise exception 'no embedding model with id %', p_model_id
            using errcode = 'P0002', hint = 'see knowledge.embedding_models';
    end if;
    if public.vector_dims(p_query) <> v_model.dimensions then
        raise exception 'the query vector has % dimensions; model % has %',
            public.vector_dims(p_query), p_model_id, v_model.dimensions using errcode = '22023';
    end if;
    -- ef_search, unless given: 40 for a tenant with an HNSW index of its own
    -- (knowledge.tenant_embedding_index_ddl), searched through it unfiltered (recall@10 1.00
    -- there); else it grows as the tenant's share of the chunks shrinks: a filtered walk keeps
    -- about ef_search x share candidates of the tenant, and recall@10 needs ~40 of them at
    -- 100k chunks, more in a larger graph: x sqrt(chunks / 100k) past 100k (docs/benchmarks.md:
    -- a 10 % tenant of 400k chunks, recall@10 0.958 at ef_search 400, 0.970 at 800 and at 1000).
    -- The catalog in one statement, the tenant's count in another: on Citus the count is a
    -- single-shard read, which cannot join a distributed table with the local catalog
    if p_ef_search is null then
        select case when exists (select from pg_catalog.pg_index as i
                                  where i.indexrelid = pg_catalog.to_regclass(
                                            'knowledge.' || knowledge.tenant_embedding_index_name(p_model_id, p_tenant_id))
                                    and i.indisvalid) then 40 end,
               c.reltuples
          into p_ef_search, v_rows
          from pg_catalog.pg_class as c
         where c.oid = 'knowledge.chunks'::pg_catalog.regclass;
        if p_ef_search is null and v_rows > 0 then
            select least(1000, greatest(64, pg_catalog.ceil(40 / (s.doc_count / v_rows)
                                                         * greatest(1, pg_catalog.sqrt(v_rows / 100000)))))::integer
              into p_ef_search
              from knowledge.bm25_stats as s
             where s.tenant_id = p_tenant_id and s.doc_count > 0;
        end if;
    end if;
    perform pg_catalog.set_config('hnsw.ef_search', least(1000, greatest(p_k, coalesce(p_ef_search, 64)))::text, true);
    v_planned := p_agent_id is not null or p_document_ids is not null or p_metadata is not null
                 or p_since is not null or p_until is not null or p_k > 9999;
    -- typed parameters and plain predicates (no jsonb, no subquery: the former filter's
    -- "in (select jsonb_array_elements_text(...))" could turn the scan into a join that no
    -- longer walks the index in order), the document id read in the same scan (no second
    -- join); relaxed_order iterative scans read on until p_k rows pass the filters, and the
    -- nearest rows are then ordered exactly (pgvector's recipe: the LIMIT subquery is not
    -- flattened, the aggregates' one sort is by the exact distance)
    v_sql := pg_catalog.format($sql$
        select pg_catalog.array_agg(n.id order by n.distance, n.id),
               pg_catalog.array_agg(n.document_id order by n.distance, n.id),
               pg_catalog.array_agg(n.distance order by n.distance, n.id),
               pg_catalog.array_agg(%3$s order by n.distance, n.id)
          from (
              select t.id, t.document_id, %1$s as distance
                from knowledge.chunks as t
               where t.embedding_model_id = %2$s
                 and t.tenant_id = %5$L%4$s
               order by distance
               limit %6$s
          ) as n
    $sql$,
        -- the expression of the model's index (knowledge.embedding_distance, inlined here)
        -- (a prepared statement's parameter has the index's type: a cast of a parameter left
        -- for run time made its HNSW scan 2-3 times slower; a planned call's cast is folded)
        pg_catalog.format('((t.embedding)::public.%1$s(%2$s) operator(public.%3$s) %4$s)',
                          v_model.index_storage, v_model.dimensions,
                          case v_model.distance when 'cosine' then '<=>' when 'l2' then '<->' else '<#>' end,
                          case when v_planned then pg_catalog.format('($1)::public.%s(%s)', v_model.index_storage,
                                                                     v_model.dimensions)
                               else '$1' end),
        p_model_id,
        case v_model.distance when 'cosine' then '1 - n.distance' when 'l2' then '1 / (1 + n.distance)'
             else '- n.distance' end,
        -- only the filters given (less to parse and plan on every call)
        case when p_agent_id is not null then ' and t.agent_id = $3' else '' end
        || case when p_document_ids is not null then ' and t.document_id = any($4)' else '' end
        || case when p_metadata is not null then ' and t.metadata @> $5' else '' end
        || case when p_since is not null then ' and t.created_at >= $6' else '' end
        || case when p_until is not null then ' and t.created_at < $7' else '' end,
        -- the tenant as a literal: a partial HNSW index of the model and this tenant, where
        -- one was built for a large tenant, is then chosen by the planner
        p_tenant_id,
        case when v_planned then '$8' else p_k::text end
    );
    if v_planned then
        -- planned on every call: the best plan for a filter depends on how selective it is
        execute v_sql into v_ids, v_documents, v_distances, v_similarities
            using p_query, p_tenant_id, p_agent_id, p_document_ids, p_metadata, p_since, p_until, p_k;
    else
        -- unfiltered: a prepared statement of this session per model, tenant and k, whose
        -- only parameter is the query vector, so its generic plan is the plan of this very
        -- statement (the same index, the same rows) and later calls skip parsing and
        -- planning. Its rows come back as one row of arrays (EXECUTE of a prepared
        -- statement is a utility statement, which RETURN QUERY cannot read). The name fits
        -- 63 characters for any model id and k <= 9999. A statement of that name is run
        -- only when its text is this one: another client of the session (a tenant before
        -- this one on a pooled connection) may have prepared its own under the name, and a
        -- migration may have changed the text
        v_name := 'agentdb_nn_m' || p_model_id || '_k' || p_k || '_t' || pg_catalog.replace(p_tenant_id::text, '-', '');
        v_prepare := pg_catalog.format('prepare %I (public.%s(%s)) as %s',
                                       v_name, v_model.index_storage, v_model.dimensions, v_sql);
        select s.statement into v_found from pg_catalog.pg_prepared_statements as s where s.name = v_name;
        if v_found is distinct from v_prepare then
            if v_found is not null then
                execute pg_catalog.format('deallocate %I', v_name);
            end if;
            -- at most 100 prepared per session: then the session's are dropped and
            -- prepared again as they are used
            if (select count(*) from pg_catalog.pg_prepared_statements as s
                 where s.name like 'agentdb\_nn\_%') >= 100 then
                for v_old in select s.name from pg_catalog.pg_prepared_statements as s
                              where s.name like 'agentdb\_nn\_%' loop
                    execute pg_catalog.format('deallocate %I', v_old);
                end loop;
            end if;
            execute v_prepare;
        end if;
        execute pg_catalog.format('execute %I(%L)', v_name, p_query)
           into v_ids, v_documents, v_distances, v_similarities;
    end if;
    return query
    select u.id, u.document_id, u.rank::integer, u.distance, u.similarity
      from unnest(v_ids, v_documents, v_distances, v_similarities) with ordinality
           as u (id, document_id, distance, similarity, rank);
end;
$function$;

comment on function knowledge.search_chunks_vector(uuid, integer, public.vector, integer, uuid, uuid[], jsonb, timestamptz, timestamptz, integer) is
'Vector leg over chunks: the p_k chunks of the tenant nearest to p_query under model p_model_id, through the model''s partial HNSW index with relaxed_order iterative scans (so selective filters still return the full p_k), re-sorted exactly; filtered by agent, documents, metadata containment and time as typed parameters of one statement. hnsw.ef_search is p_ef_search, by default 40 / (the tenant''s share of all chunks), times sqrt(chunks / 100,000) past 100,000 chunks, within 64..1000 (at 100k chunks 64 for a tenant holding 63 % or more, 400 at 10 %; at 400k chunks 800 at 10 %), at least p_k; the tenant is a literal of the statement, so the tenant''s own HNSW index of the model (knowledge.tenant_embedding_index_ddl) is used where one is valid, with ef_search 40 by default. Unfiltered calls (p_k <= 9999) run a prepared statement of the session named agentdb_nn_m<model>_k<k>_t<tenant> (the query vector its only parameter, so its generic plan is this statement''s own plan) and skip parsing and planning after the plan cache''s first five custom plans; at most 100 per session (then the session''s are deallocated and prepared again as used); filtered calls are planned on every call'
