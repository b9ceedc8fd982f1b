-- ops.uuidv7(): time-ordered UUIDs (RFC 9562 version 7) under one name on every server.
-- PostgreSQL 18 has pg_catalog.uuidv7(); before it, an equivalent SQL function builds one
-- from the millisecond clock and gen_random_uuid() (core since PostgreSQL 13).
do $block$
begin
    if current_setting('server_version_num')::integer >= 180000 then
        create or replace function ops.uuidv7() returns uuid
        language sql volatile parallel safe
        set search_path = ''
        return pg_catalog.uuidv7();
    else
        create or replace function ops.uuidv7() returns uuid
        language sql volatile parallel safe
        set search_path = ''
        return pg_catalog.encode(
            pg_catalog.set_bit(
                pg_catalog.set_bit(
                    overlay(
                        pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
                        placing substring(
                            pg_catalog.int8send(
                                pg_catalog.floor(extract(epoch from pg_catalog.clock_timestamp()) * 1000)::bigint
                            ) from 3
                        )
                        from 1 for 6
                    ),
                    52, 1
                ),
                53, 1
            ),
            'hex'
        )::uuid;
    end if;
end
$block$;

comment on function ops.uuidv7() is
'A new time-ordered UUID (version 7): ids sort by creation time, so B-tree inserts stay local and clients may make ids offline';
