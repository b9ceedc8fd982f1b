-- Make this node's event outbox (on a Citus worker; agentdb distribute runs it on each).
create or replace function ops.ensure_event_outbox()
returns boolean
language plpgsql
volatile
security invoker
set search_path = ''
as $function$
begin
    if pg_catalog.to_regclass('ops.event_outbox') is not null then
        return false;
    end if;
    -- a node-local table (not in Citus' metadata): a trigger on a shard writes it locally, and
    -- a listener reads each node's own in commit order (by transaction id, below its snapshot's xmin)
    create table ops.event_outbox (
        id bigint generated always as identity primary key,
        xid pg_catalog.xid8 not null default pg_catalog.pg_current_xact_id(),
        channel text not null,
        payload text not null,
        created_at timestamptz not null default pg_catalog.now()
    );
    create index event_outbox_xid_id_idx on ops.event_outbox (xid, id);
    create index event_outbox_created_at_idx on ops.event_outbox (created_at);
    comment on table ops.event_outbox is 'This Citus worker''s events (ops.emit_event), which NOTIFY cannot carry out of a two-phase commit: one row per event, committed with the work, read by agentdb listen in commit order (xid below the reader''s snapshot xmin, then id); kept an hour. Node-local: made on each worker by agentdb distribute (ops.ensure_event_outbox), absent on one node';
    comment on column ops.event_outbox.id is 'Order of the events within a transaction';
    comment on column ops.event_outbox.xid is 'The writing transaction (pg_current_xact_id): a reader takes rows below its snapshot''s xmin, all committed, so none is skipped';
    comment on column ops.event_outbox.channel is 'The event channel (docs/events.md)';
    comment on column ops.event_outbox.payload is 'The JSON payload, as NOTIFY would carry it';
    comment on column ops.event_outbox.created_at is 'When the event was written; rows older than an hour are cleared';
    comment on index ops.event_outbox_xid_id_idx is 'Listeners read in commit order from their position';
    comment on index ops.event_outbox_created_at_idx is 'Clearing events older than an hour';
    -- owned like every other table (ops.emit_event writes it with the owner's rights)
    execute pg_catalog.format('alter table ops.event_outbox owner to %I', ops.role_name('owner'));
    execute pg_catalog.format('grant select on ops.event_outbox to %I, %I', ops.role_name('app'),
                              ops.role_name('readonly'));
    return true;
end;
$function$;

comment on function ops.ensure_event_outbox() is
'Creates ops.event_outbox on this node when it is missing (true when it did): run on every Citus worker by agentdb distribute (run_command_on_workers), never on one node, where events are NOTIFY. The app and read-only roles may read it (agentdb listen relays it; like NOTIFY, every listener may hear every tenant''s events and filters them itself)';
