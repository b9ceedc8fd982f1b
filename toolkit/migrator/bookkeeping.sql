-- agentdb's own bookkeeping: which migrations and repeatable objects of each migration
-- set are applied, with their checksums. Idempotent: run at the start of every migrate.
create schema if not exists agentdb_meta;
comment on schema agentdb_meta is 'agentdb tool bookkeeping: which migrations and repeatable objects of each migration set are applied, with their checksums';

create table if not exists agentdb_meta.applied_migrations (
    migration_set text not null default 'agentdb',
    migration_id text not null,
    checksum text not null,
    applied_at timestamptz not null default clock_timestamp(),
    applied_by text not null default current_user,
    duration_ms integer not null default 0 check (duration_ms >= 0),
    primary key (migration_set, migration_id)
);

create table if not exists agentdb_meta.repeatable_objects (
    migration_set text not null default 'agentdb',
    name text not null,
    kind text not null check (kind in ('function', 'view')),
    checksum text not null,
    applied_at timestamptz not null default clock_timestamp(),
    primary key (migration_set, name)
);

-- a database migrated before migration sets existed: its rows belong to the agentdb set
alter table agentdb_meta.applied_migrations add column if not exists migration_set text not null default 'agentdb';
alter table agentdb_meta.repeatable_objects add column if not exists migration_set text not null default 'agentdb';
do $$
begin
    if (select count(*) from pg_catalog.pg_index i
         where i.indrelid = 'agentdb_meta.applied_migrations'::regclass and i.indisprimary and i.indnatts = 1) > 0 then
        alter table agentdb_meta.applied_migrations drop constraint applied_migrations_pkey;
        alter table agentdb_meta.applied_migrations add primary key (migration_set, migration_id);
    end if;
    if (select count(*) from pg_catalog.pg_index i
         where i.indrelid = 'agentdb_meta.repeatable_objects'::regclass and i.indisprimary and i.indnatts = 1) > 0 then
        alter table agentdb_meta.repeatable_objects drop constraint repeatable_objects_pkey;
        alter table agentdb_meta.repeatable_objects add primary key (migration_set, name);
    end if;
end
$$;

comment on table agentdb_meta.applied_migrations is 'One row per applied migration file of each migration set, with the sha256 of its content when applied';
comment on column agentdb_meta.applied_migrations.migration_set is 'The migration set the file belongs to: agentdb, or an application''s set ([tool.agentdb] in its pyproject.toml)';
comment on column agentdb_meta.applied_migrations.migration_id is 'File name without .sql, e.g. 0001_create_schemas';
comment on column agentdb_meta.applied_migrations.checksum is 'sha256 of the file when it was applied; a different file now is drift';
comment on column agentdb_meta.applied_migrations.applied_at is 'When the migration was applied';
comment on column agentdb_meta.applied_migrations.applied_by is 'Database role that applied it';
comment on column agentdb_meta.applied_migrations.duration_ms is 'How long the migration took to run';
comment on table agentdb_meta.repeatable_objects is 'One row per repeatable object (sql/functions, sql/views) of each migration set with the sha256 of the file last applied';
comment on column agentdb_meta.repeatable_objects.migration_set is 'The migration set the file belongs to';
comment on column agentdb_meta.repeatable_objects.name is 'schema.name, the file name under sql/ without .sql';
comment on column agentdb_meta.repeatable_objects.kind is 'function (functions, procedures, trigger functions) or view';
comment on column agentdb_meta.repeatable_objects.checksum is 'sha256 of the file when it was last applied';
comment on column agentdb_meta.repeatable_objects.applied_at is 'When the file was last applied';
