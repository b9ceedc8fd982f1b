-- Publish one event: NOTIFY, or on a Citus worker a row in the node's event outbox.
create or replace function ops.emit_event(p_channel text, p_payload text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $function$
begin
    -- security definer: the outbox is written only through here
    if pg_catalog.to_regclass('ops.event_outbox') is null then
        -- one node: delivered at commit, never for rolled-back work
        perform pg_catalog.pg_notify(p_channel, p_payload);
        return;
    end if;
    -- a Citus worker (agentdb distribute made the outbox): PostgreSQL refuses to PREPARE a
    -- transaction that ran NOTIFY, and Citus commits a transaction that wrote to two nodes with
    -- two-phase commit; the row commits or rolls back with the work, and agentdb listen
    -- relays it (toolkit/listen.py)
    insert into ops.event_outbox (channel, payload) values (p_channel, p_payload);
    -- the outbox keeps an hour of events: now and then a writer clears a batch of older ones
    if pg_catalog.random() < 0.001 then
        delete from ops.event_outbox as o
         where o.ctid = any (array(select x.ctid from ops.event_outbox as x
                                    where x.created_at < pg_catalog.now() - interval '1 hour'
                                    limit 1000 for update skip locked));
    end if;
end;
$function$;

comment on function ops.emit_event(text, text) is
'Publishes one event (channel, JSON payload) for the event triggers: pg_notify on one node; on a Citus worker, where the table ops.event_outbox exists (made by agentdb distribute), a row there that commits with the work (NOTIFY cannot run in a transaction Citus commits with two-phase commit), relayed to listeners by agentdb listen; the outbox keeps an hour of events. Security definer: the outbox is written only through here. See docs/events.md';
