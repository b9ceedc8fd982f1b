-- Create a model's HNSW index on every embedding table, in this transaction.
create or replace function knowledge.create_embedding_indexes(p_model_id integer)
returns setof text
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
declare
    v_table regclass;
    v_name text;
    v_schema text;
    v_model record;
begin
    select m.name, m.dimensions, m.distance, m.index_storage into v_model
      from knowledge.embedding_models as m where m.id = p_model_id;
    for v_table in select * from knowledge.embedding_tables() loop
        v_name := knowledge.embedding_index_name(p_model_id, v_table);
        select n.nspname into v_schema
          from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
         where c.oid = v_table;
        continue when pg_catalog.to_regclass(pg_catalog.format('%I.%I', v_schema, v_name)) is not null;
        execute knowledge.embedding_index_ddl(p_model_id, v_table, false);
        execute pg_catalog.format('comment on index %I.%I is %L', v_schema, v_name,
            pg_catalog.format('HNSW index of embedding model %s (%s dimensions, %s, %s)',
                v_model.name, v_model.dimensions, v_model.distance, v_model.index_storage));
        return next v_name;
    end loop;
end;
$function$;

comment on function knowledge.create_embedding_indexes(integer) is
'Creates (without CONCURRENTLY, in the caller''s transaction) model p_model_id''s HNSW index on every embedding table that lacks it, with a comment; returns the names created. For large tables use agentdb model index, which builds concurrently';
