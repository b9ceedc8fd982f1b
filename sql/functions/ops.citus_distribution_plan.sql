-- The Citus calls that distribute agentdb by tenant, generated from the catalog.
create or replace function ops.citus_distribution_plan()
returns table (step integer, kind text, table_name text, referenced text, statement text)
language sql
stable
security invoker
set search_path = ''
begin atomic
    with recursive
    rels as (
        select c.oid as relid, c.oid::regclass::text as name,
               exists(select 1 from pg_catalog.pg_attribute as a
                        where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) as tenant_scoped
          from pg_catalog.pg_class as c
         where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and c.relkind in ('r', 'p') and not c.relispartition
    ),
    -- functions used by a table's policies, defaults and checks, and the functions they call
    used (relid, fid) as (
        select coalesce(p.polrelid, ad.adrelid, co.conrelid), d.refobjid
          from pg_catalog.pg_depend as d
          left join pg_catalog.pg_policy as p on d.classid = 'pg_catalog.pg_policy'::regclass and p.oid = d.objid
          left join pg_catalog.pg_attrdef as ad on d.classid = 'pg_catalog.pg_attrdef'::regclass and ad.oid = d.objid
          left join pg_catalog.pg_constraint as co on d.classid = 'pg_catalog.pg_constraint'::regclass
                                                 and co.oid = d.objid
         where d.refclassid = 'pg_catalog.pg_proc'::regclass
           and d.classid in ('pg_catalog.pg_policy'::regclass, 'pg_catalog.pg_attrdef'::regclass,
                             'pg_catalog.pg_constraint'::regclass)
        union
        select u.relid, d.refobjid
          from used as u
          join pg_catalog.pg_depend as d on d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = u.fid
                                        and d.refclassid = 'pg_catalog.pg_proc'::regclass
    ),
    -- Citus distributes a table only after the tables those functions read
    edges as (
        select distinct u.relid, d.refobjid as refid
          from used as u
          join pg_catalog.pg_depend as d on d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = u.fid
                                        and d.refclassid = 'pg_catalog.pg_class'::regclass
          join rels as t on t.relid = d.refobjid and t.tenant_scoped
         where d.refobjid <> u.relid
        union
        -- and the tables a policy names itself (a regclass argument: ops.row_is_visible's parent)
        select distinct p.polrelid, d.refobjid
          from pg_catalog.pg_policy as p
          join pg_catalog.pg_depend as d on d.classid = 'pg_catalog.pg_policy'::regclass and d.objid = p.oid
                                        and d.refclassid = 'pg_catalog.pg_class'::regclass
          join rels as t on t.relid = d.refobjid and t.tenant_scoped
         where d.refobjid <> p.polrelid
    ),
    depth (relid, level) as (
        select t.relid, 0 from rels as t where t.tenant_scoped
        union all
        select e.relid, d.level + 1 from depth as d join edges as e on e.refid = d.relid where d.level < 50
    ),
    ordered as (
        select t.name, t.tenant_scoped, coalesce(max(d.level), 0) as level
          from rels as t left join depth as d on d.relid = t.relid
         group by t.name, t.tenant_scoped
    ),
    anchor as (
        select o.name from ordered as o where o.tenant_scoped order by o.level, o.name limit 1
    ),
    -- the tenant API: run on the worker holding p_tenant_id's shards (Citus function delegation,
    -- colocated with the tenant tables). Forced (delegated inside a transaction block too) for
    -- chat.search_messages and memory.search_documents only. Not for hybrid_search and its
    -- legs: forced, its ts_rank leg (a SQL function) fails Citus' forced-pushdown check, a
    -- forced leg inside a hybrid_search run on the coordinator (a named query passes the tenant
    -- as a sub-select) fails on the worker with its plpgsql parameters, and a forced call after
    -- a model's index DDL in the same transaction cannot read the reference tables. Not forced, so delegated in autocommit and otherwise run
    -- on the coordinator with every statement routed to the tenant's worker: the writers (their
    -- shard triggers' statements, e.g. the audit insert, fail Citus' check that a forced call
    -- stays on its tenant) and the SQL functions (Citus routes their one statement whole from
    -- the coordinator but refuses it under forced delegation on the worker)
    routed (fid, force) as (
        select p.oid, r.force
          from (values ('knowledge.hybrid_search', false), ('knowledge.search_chunks_bm25', false),
                       ('knowledge.search_chunks_keyword', false), ('knowledge.search_chunks_vector', false),
                       ('memory.retrieve_memories', false), ('memory.search_documents', true),
                       ('memory.resolve_reference', false), ('chat.search_messages', true),
                       ('chat.append_message', false), ('work.claim_tasks', false), ('work.complete_task', false),
                       ('work.fail_task', false), ('work.extend_lease', false),
                       ('knowledge.index_pending_chunks_of', true)) as r (name, force)
          join pg_catalog.pg_proc as p
            on p.pronamespace::regnamespace::text || '.' || p.proname = r.name
         where 'p_tenant_id' = any(p.proargnames)
    ),
    fkeys as (
        select k.conrelid::regclass::text as name, k.confrelid::regclass::text as ref, k.conname,
               pg_catalog.pg_get_constraintdef(k.oid) as def, k.confdeltype = 'n' and t.tenant_scoped as set_null,
               (select pg_catalog.string_agg(a.attname, ',') from pg_catalog.pg_attribute as a
                 where a.attrelid = k.conrelid and a.attnum = any(k.conkey) and a.attname <> 'tenant_id') as col,
               (select pg_catalog.string_agg(a.attname, ',') from pg_catalog.pg_attribute as a
                 where a.attrelid = k.confrelid and a.attnum = any(k.confkey) and a.attname <> 'tenant_id') as refcol
          from pg_catalog.pg_constraint as k
          join rels as t on t.relid = k.conrelid
         where k.contype = 'f' and k.conparentid = 0
    ),
    steps as (
        -- a row trigger on a reference table fires on every replica and cannot write elsewhere
        select 1 as phase, 0 as level, c.oid::regclass::text as name, null::text as ref, tg.tgname::text as sort,
               'drop trigger' as kind,
               pg_catalog.format('drop trigger %I on %s;', tg.tgname, c.oid::regclass) as stmt
          from pg_catalog.pg_trigger as tg
          join pg_catalog.pg_class as c on c.oid = tg.tgrelid
          join rels as t on t.relid = c.oid and not t.tenant_scoped
         where not tg.tgisinternal and tg.tgfoid = 'ops.tg_audit'::regproc
        union all
        -- Citus copies a policy to the shards without AS RESTRICTIVE: folded first, exactly
        select 1 as phase, 1 as level, c.oid::regclass::text as name, null::text as ref, '' as sort,
               'fold policies' as kind,
               pg_catalog.format('select ops.fold_restrictive_policies(%L);', c.oid::regclass) as stmt
          from pg_catalog.pg_class as c
          join rels as t on t.relid = c.oid
         where exists (select 1 from pg_catalog.pg_policy as p where p.polrelid = c.oid and not p.polpermissive)
        union all
        -- foreign keys leave while tables change kind (Citus would otherwise convert every table in
        -- the key graph at the first reference table) and come back once both sides are in Citus
        select 2 as phase, 0 as level, f.name, f.ref, f.conname as sort, 'drop foreign key' as kind,
               pg_catalog.format('alter table %s drop constraint %I;', f.name, f.conname) as stmt
          from fkeys as f
        union all
        select 3 as phase, 0 as level, o.name, null as ref, o.name as sort, 'reference' as kind,
               pg_catalog.format('select create_reference_table(%L);', o.name) as stmt
          from ordered as o where not o.tenant_scoped
        union all
        select 4 as phase, o.level, o.name, null as ref, o.name as sort, 'distributed' as kind,
               case when o.name = (select a.name from anchor as a)
                    then pg_catalog.format('select create_distributed_table(%L, ''tenant_id'', colocate_with => ''none'');',
                                           o.name)
                    else pg_catalog.format('select create_distributed_table(%L, ''tenant_id'', colocate_with => %L);',
                                           o.name, (select a.name from anchor as a))
               end as stmt
          from ordered as o where o.tenant_scoped
        union all
        -- the functions a table's policies call exist on the workers before its shards do
        select 4 as phase, min(o.level) as level, min(o.name) as name, u.fid::regprocedure::text as ref, '' as sort,
               'function' as kind, pg_catalog.format('select create_distributed_function(%L);', u.fid::regprocedure) as stmt
          from used as u join ordered as o on o.name = u.relid::regclass::text and o.tenant_scoped
          join pg_catalog.pg_proc as p on p.oid = u.fid
         where p.pronamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and u.relid in (select po.polrelid from pg_catalog.pg_policy as po)
         group by u.fid
        union all
        -- Citus refuses ON DELETE SET NULL on a key holding the distribution column (even SET NULL
        -- (column), which leaves tenant_id alone): the key checks, a trigger clears the column
        select 5 as phase, 0 as level, f.name, f.ref, f.conname as sort, 'foreign key' as kind,
               pg_catalog.format('alter table %s add constraint %I %s;', f.name, f.conname,
                                 case when f.set_null
                                      then pg_catalog.regexp_replace(f.def, ' ON DELETE SET NULL( \([^)]*\))?', '')
                                      else f.def end) as stmt
          from fkeys as f
        union all
        select 5 as phase, 1 as level, f.name, f.ref, f.conname as sort, 'null trigger' as kind,
               pg_catalog.format('create trigger %I before delete on %s for each row execute function '
                                 'ops.tg_null_references(%L, %L, %L);',
                                 left('_050_null_' || f.conname, 63), f.ref, f.name, f.col, f.refcol) as stmt
          from fkeys as f where f.set_null
        union all
        -- the tenant API, delegated by its tenant argument
        select 6 as phase, 0 as level, ro.fid::regprocedure::text as name, ro.fid::regprocedure::text as ref, '' as sort,
               'routed function' as kind,
               pg_catalog.format('select create_distributed_function(%L, distribution_arg_name => %L, '
                                 'colocate_with => %L, force_delegation => %s);',
                                 ro.fid::regprocedure, 'p_tenant_id', (select a.name from anchor as a),
                                 case when ro.force then 'true' else 'false' end) as stmt
          from routed as ro
        union all
        -- every other function and procedure, so triggers and delegated calls find them on the workers
        select 6 as phase, 0 as level, p.oid::regprocedure::text as name, p.oid::regprocedure::text as ref, '' as sort,
               'function' as kind, pg_catalog.format('select create_distributed_function(%L);', p.oid::regprocedure) as stmt
          from pg_catalog.pg_proc as p
         where p.pronamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and p.prokind in ('f', 'p')
           and p.oid not in (select u.fid from used as u
                               where u.relid in (select po.polrelid from pg_catalog.pg_policy as po))
           and p.oid not in (select ro.fid from routed as ro)
        union all
        -- Citus 14.0.1 plans and keeps a new local plan each time a cached statement whose shard
        -- is pruned at run time runs where the shard is (citusdata/citus#8824): a trigger on a
        -- shard and a delegated function run such statements in the long-lived sessions Citus
        -- opens to the workers, which grew by ~100 kB an insert. Custom plans are never cached;
        -- the setting holds for what these call too
        select 6 as phase, 1 as level, p.oid::regprocedure::text as name, null as ref, '' as sort,
               'custom plans' as kind,
               pg_catalog.format('alter function %s set plan_cache_mode = force_custom_plan;', p.oid::regprocedure)
                   as stmt
          from pg_catalog.pg_proc as p
         where p.pronamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and p.prokind = 'f'
           and (p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype or p.oid in (select ro.fid from routed as ro))
        union all
        -- events: a worker's triggers write its own outbox (ops.emit_event), since NOTIFY cannot
        -- run in a transaction Citus commits with two-phase commit; run once the rest committed
        -- (run_command_on_workers uses connections of its own, which see only committed objects)
        select 7 as phase, 1 as level, 'ops.event_outbox' as name, null as ref, '' as sort, 'event outbox' as kind,
               'select nodename, nodeport, success, result from run_command_on_workers(''select ops.ensure_event_outbox()'');'
               as stmt
        union all
        -- Citus makes the views on the workers without their privileges: granted again on the
        -- coordinator, which propagates a grant on a distributed view
        select 7 as phase, 2 as level, c.oid::regclass::text as name, null as ref, '' as sort, 'view grants' as kind,
               (select pg_catalog.string_agg(pg_catalog.format('grant %s on %s to %I;', a.privilege_type, c.oid::regclass,
                                                               a.grantee::regrole::text), ' ')
                  from pg_catalog.aclexplode(c.relacl) as a where a.grantee <> c.relowner) as stmt
          from pg_catalog.pg_class as c
         where c.relnamespace::regnamespace::text in ('core', 'agents', 'chat', 'memory', 'knowledge', 'work', 'ops')
           and c.relkind = 'v' and c.relacl is not null
        union all
        -- Citus reaches the other nodes as the current role (workers, and the coordinator for the
        -- reference tables' placements there), so a session that did SET ROLE to the app or
        -- read-only role needs that role able to log in on every node; the rebalancer moves
        -- shards as their owner
        select 7 as phase, 0 as level, r.name, null as ref, '' as sort, 'worker login' as kind,
               -- each node alters its own catalog, DDL propagation off: propagated from
               -- every node at once, the ALTER ROLEs deadlocked on pg_authid and Citus
               -- cancelled one (seen in CI: a role left without login on a node)
               pg_catalog.format('select run_command_on_all_nodes(%L);',
                                 pg_catalog.format('set citus.enable_ddl_propagation to off; alter role %I login',
                                                   r.name)) as stmt
          from ops.roles as r where r.kind in ('owner', 'app', 'readonly')
    )
    select (row_number() over (order by s.phase, s.level, s.name, s.sort))::integer as step, s.kind,
           case when s.kind in ('function', 'routed function') then s.ref else s.name end as table_name,
           case when s.kind in ('function', 'routed function') then null else s.ref end as referenced, s.stmt as statement
      from steps as s;
end;

comment on function ops.citus_distribution_plan() is
'The statements that distribute agentdb on Citus, found in the catalog, in the order to run them (in one transaction): restrictive policies folded into permissive ones (ops.fold_restrictive_policies: Citus copies policies to the shards without AS RESTRICTIVE), audit triggers of global tables dropped (a row trigger on a reference table fires on every replica and cannot write a distributed table), foreign keys dropped, every global table (no tenant_id: tenants, embedding models, policies, roles) made a reference table, every tenant-scoped table distributed by tenant_id in one colocation group (after the tables its policies'' functions read), the foreign keys added back (ON DELETE SET NULL ones as plain keys plus an ops.tg_null_references trigger), the tenant API (search, retrieval, append, queue: kind routed function) delegated by p_tenant_id to the worker holding the tenant, colocated with the tenant tables (forced for search_messages and search_documents, so a call inside a transaction block is delegated too), every other function propagated to the workers, trigger functions and the delegated ones given custom plans (Citus 14.0.1 grows a worker session by a local plan per execution of a cached statement pruned at run time, citusdata/citus#8824), the views'' grants repeated (Citus makes views on the workers without them), the event outbox made on every worker once the rest committed (ops.ensure_event_outbox), the owner, app and read-only roles allowed to log in on every node (Citus connects to the nodes as the current role; the rebalancer as the owner)';
