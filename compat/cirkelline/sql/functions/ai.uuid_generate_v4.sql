-- uuid-ossp's uuid_generate_v4(), which cirkelline's session insert calls.
create or replace function ai.uuid_generate_v4()
returns uuid
language sql
volatile
parallel safe
security invoker
set search_path = ''
begin atomic
    select pg_catalog.gen_random_uuid();
end;

comment on function ai.uuid_generate_v4() is
'A random (version 4) UUID, as uuid-ossp''s uuid_generate_v4() (which the embedded server lacks): pg_catalog.gen_random_uuid()';
