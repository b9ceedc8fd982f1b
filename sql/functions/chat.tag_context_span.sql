-- /tag: add tags to (or replace the tags of) the agent's open span.
-- depends: chat.start_context_span
create or replace function chat.tag_context_span(
    p_tenant_id uuid,
    p_agent_id uuid,
    p_tags text[],
    p_replace boolean default false
)
returns text[]
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_span uuid := chat.start_context_span(p_tenant_id, p_agent_id);
    v_tags text[];
begin
    update chat.context_spans s
       set tags = (
           select coalesce(pg_catalog.array_agg(t order by first_seen), '{}')
             from (
                 select t, min(ord) as first_seen
                   from pg_catalog.unnest(
                       case when p_replace then '{}'::text[] else s.tags end
                       || coalesce(p_tags, '{}')
                   ) with ordinality as u(t, ord)
                  where pg_catalog.btrim(t) <> ''
                  group by t
             ) as distinct_tags
       )
     where s.tenant_id = p_tenant_id and s.id = v_span
    returning s.tags into v_tags;
    return v_tags;
end;
$function$;

comment on function chat.tag_context_span(uuid, uuid, text[], boolean) is
'Adds p_tags to the agent''s open span (opening one if needed), or replaces its tags when p_replace; keeps first-seen order without duplicates; returns the span''s tags. New messages of the agent inherit them';
