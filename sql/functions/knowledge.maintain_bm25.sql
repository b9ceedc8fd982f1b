-- BM25 upkeep: renormalise stored term scores after average length drift; vacuum empty terms.
create or replace function knowledge.maintain_bm25(p_drift double precision default 0.1, p_dry_run boolean default false)
returns table (tenant_id uuid, renormalised bigint, vacuumed_terms bigint)
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_stats record;
    v_avgdl double precision;
    v_vacuumed bigint;
begin
    for v_stats in
        select s.tenant_id, s.total_length::double precision / nullif(s.doc_count, 0) as avgdl, s.normalized_avgdl
          from knowledge.bm25_stats as s
         where s.doc_count > 0
           and (s.normalized_avgdl is null
                or abs(s.total_length::double precision / s.doc_count - s.normalized_avgdl) / s.normalized_avgdl > p_drift)
         order by s.tenant_id
    loop
        tenant_id := v_stats.tenant_id;
        v_avgdl := v_stats.avgdl;
        renormalised := 0;
        if not p_dry_run then
            update knowledge.bm25_postings as p
               set tf_norm = (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.doc_length / v_avgdl)))::real
             where p.tenant_id = v_stats.tenant_id;
            get diagnostics renormalised = row_count;
            update knowledge.bm25_stats as s set normalized_avgdl = v_avgdl where s.tenant_id = v_stats.tenant_id;
        end if;
        vacuumed_terms := 0;
        return next;
    end loop;
    -- messages and memory documents (ops.bm25_*, migration 0030): the same, per scope
    for v_stats in
        select s.tenant_id, s.scope, s.total_length::double precision / nullif(s.doc_count, 0) as avgdl
          from ops.bm25_stats as s
         where s.doc_count > 0
           and (s.normalized_avgdl is null
                or abs(s.total_length::double precision / s.doc_count - s.normalized_avgdl) / s.normalized_avgdl > p_drift)
         order by s.tenant_id, s.scope
    loop
        tenant_id := v_stats.tenant_id;
        renormalised := 0;
        if not p_dry_run then
            update ops.bm25_postings as p
               set tf_norm = (p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.doc_length / v_stats.avgdl)))::real
             where p.tenant_id = v_stats.tenant_id and p.scope = v_stats.scope;
            get diagnostics renormalised = row_count;
            update ops.bm25_stats as s set normalized_avgdl = v_stats.avgdl
             where s.tenant_id = v_stats.tenant_id and s.scope = v_stats.scope;
        end if;
        vacuumed_terms := 0;
        return next;
    end loop;
    if not p_dry_run then
        delete from knowledge.bm25_terms as t where t.doc_freq = 0;
        get diagnostics vacuumed_terms = row_count;
        delete from ops.bm25_terms as t where t.doc_freq = 0;
        get diagnostics v_vacuumed = row_count;
        vacuumed_terms := vacuumed_terms + v_vacuumed;
    end if;
    tenant_id := null;
    renormalised := 0;
    return next;
end;
$function$;

comment on function knowledge.maintain_bm25(double precision, boolean) is
'agentdb maintain''s BM25 step: for every tenant (and for messages and memory documents, every tenant and scope) whose average length drifted more than p_drift from the one its stored term scores were normalised with, recompute them (query-time scores are always exact; this keeps each term''s postings in the right order); then delete terms no chunk holds any more. The last row (tenant null) carries the vacuumed count';
