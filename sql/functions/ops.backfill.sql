-- Batched backfill for data migrations: update rows n at a time, each batch its own transaction.
-- No `set search_path` clause: a procedure with one may not commit. Every name inside is
-- schema-qualified instead, and the caller's fragments are run as written.
create or replace procedure ops.backfill(
    p_name text,
    p_table regclass,
    p_set text,
    p_todo text,
    p_batch integer default 10000,
    p_key name default 'id'
)
language plpgsql
security invoker
as $procedure$
declare
    v_type text;
    v_last text;
    v_finished timestamptz;
    v_rows bigint;
    v_max text;
    v_started timestamptz;
    v_sweeps integer := 0;
    v_step text;
begin
    if p_batch is null or p_batch < 1 then
        raise exception 'batch size must be 1 or more, not %', p_batch using errcode = '22023';
    end if;
    select pg_catalog.format_type(a.atttypid, a.atttypmod) into v_type
      from pg_catalog.pg_attribute as a
     where a.attrelid = p_table and a.attname = p_key and not a.attisdropped;
    if v_type is null then
        raise exception '% has no column %', p_table, p_key using errcode = '42703';
    end if;
    create schema if not exists agentdb_meta;
    create table if not exists agentdb_meta.backfills (
        name text primary key,
        table_name text not null,
        batch_size integer not null,
        last_key text,
        rows_done bigint not null default 0,
        batches integer not null default 0,
        longest_batch_ms integer not null default 0,
        runs integer not null default 0,
        started_at timestamptz not null default pg_catalog.clock_timestamp(),
        updated_at timestamptz not null default pg_catalog.clock_timestamp(),
        finished_at timestamptz
    );
    comment on table agentdb_meta.backfills is 'One row per batched backfill (ops.backfill): where it stopped, so a killed run resumes';
    insert into agentdb_meta.backfills as b (name, table_name, batch_size) values (p_name, p_table::text, p_batch)
        on conflict (name) do update set runs = b.runs + 1, updated_at = pg_catalog.clock_timestamp()
        returning b.last_key, b.finished_at into v_last, v_finished;
    if v_finished is not null then
        raise notice 'backfill %: finished at %, nothing to do', p_name, v_finished;
        return;
    end if;
    commit;
    -- rows after the last key, in key order; a row locked by another session is skipped and
    -- picked up by the sweep from the start that follows the last batch
    v_step := pg_catalog.format(
        'with batch as (update %1$s as t set %2$s where t.%3$I in ('
        'select s.%3$I from %1$s as s where (%4$s) and ($1::text is null or s.%3$I > $1::%5$s) '
        'order by s.%3$I limit %6$s for update skip locked) returning t.%3$I as k) '
        'select pg_catalog.count(*), (select b.k::text from batch as b order by b.k desc limit 1) from batch',
        p_table, p_set, p_key, p_todo, v_type, p_batch);
    loop
        v_started := pg_catalog.clock_timestamp();
        execute v_step using v_last into v_rows, v_max;
        if v_rows = 0 then
            exit when v_last is null or v_sweeps >= 3;
            v_last := null;
            v_sweeps := v_sweeps + 1;
            continue;
        end if;
        v_last := v_max;
        update agentdb_meta.backfills as b
           set last_key = v_last, rows_done = b.rows_done + v_rows, batches = b.batches + 1,
               longest_batch_ms = greatest(b.longest_batch_ms,
                   (extract(epoch from pg_catalog.clock_timestamp() - v_started) * 1000)::integer),
               updated_at = pg_catalog.clock_timestamp()
         where b.name = p_name
        returning b.rows_done into v_rows;
        commit;
        raise notice 'backfill %: % rows done, last key %', p_name, v_rows, v_last;
    end loop;
    execute pg_catalog.format('select pg_catalog.count(*) from %s where (%s)', p_table, p_todo) into v_rows;
    if v_rows > 0 then
        raise exception 'backfill %: % rows of % still match the condition (locked by another session, or the set list does not make the condition false)',
            p_name, v_rows, p_table using errcode = 'P0001', hint = 'run the migration again once they are free';
    end if;
    update agentdb_meta.backfills as b set finished_at = pg_catalog.clock_timestamp(), updated_at = pg_catalog.clock_timestamp()
     where b.name = p_name;
    commit;
end;
$procedure$;

-- the LT01 finding on the next line is spurious: the linter does not parse "comment on procedure"
comment on procedure ops.backfill(text, regclass, text, text, integer, name) is -- noqa: LT01
'Batched backfill for a data migration (call it from a `-- transactional: false` migration): update p_table set p_set on the rows where p_todo holds, p_batch rows at a time in key order (p_key), each batch its own transaction with `for update skip locked`; where it stopped is kept in agentdb_meta.backfills under p_name, so a killed run resumes. p_set must make p_todo false.';
