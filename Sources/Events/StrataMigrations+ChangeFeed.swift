import Database

extension StrataMigrations {
    /// Writing transactions stop notifying: PostgreSQL serializes the commits of transactions
    /// that `NOTIFY` (each holds one database-wide lock from its notification until its commit
    /// record is flushed), which capped captured writes far below what the disk allows. Listeners
    /// follow `strata.change_events` instead (`ChangeFeed`): each look reads what became visible
    /// since its previous snapshot, found by the writing transaction's id — hence the index.
    ///
    /// The event channel follows the order `(transaction_id, id)` and reads only events of
    /// transactions older than every one still running: an event id alone is drawn before its
    /// transaction commits, so a smaller id can commit after a larger one was read — a gap no
    /// cursor could see.
    static let changeFeed = Migration(version: "strata/0007", number: 7, name: "0007_change_feed",
                                      displayPath: "strata/0007_change_feed.sql", sql: #"""
        CREATE INDEX change_events_transaction ON strata.change_events (transaction_id, id);
        -- Nothing reads events by tenant and id any more (the channel and the tail follow
        -- transaction order).
        DROP INDEX strata.change_events_tenant;

        -- A delivery's references are kept by Strata itself, not by foreign keys: their checks
        -- locked the handler rows (FOR KEY SHARE) from every writing transaction at once. Events
        -- with deliveries are never trimmed; a handler's deliveries go with it (below).
        ALTER TABLE strata.event_deliveries DROP CONSTRAINT event_deliveries_handler_fkey,
                                            DROP CONSTRAINT event_deliveries_event_id_fkey;
        CREATE FUNCTION strata.drop_handler_deliveries() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        BEGIN
            DELETE FROM strata.event_deliveries d USING gone WHERE d.handler = gone.name;
            RETURN NULL;
        END
        $$;
        -- The primary key (handler, event_id) serves the claim as well: dead letters are few.
        DROP INDEX strata.event_deliveries_pending;
        -- A queue: rows come and go by the thousand a second. Vacuumed and analysed by count, not
        -- by the table's size, so the claim's plan knows what it scans.
        ALTER TABLE strata.event_deliveries SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                                 autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 5000);
        CREATE TRIGGER drop_handler_deliveries AFTER DELETE ON strata.event_handlers
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION strata.drop_handler_deliveries();

        CREATE OR REPLACE FUNCTION strata.capture_change() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
            new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
            current_row jsonb := coalesce(new_row, old_row);
            key jsonb := '{}';
            tenant text;
            event_id bigint;
        BEGIN
            IF TG_OP = 'UPDATE' AND old_row = new_row THEN
                RETURN NULL;
            END IF;
            FOR i IN 2 .. TG_NARGS - 1 LOOP
                key := key || jsonb_build_object(TG_ARGV[i], current_row -> TG_ARGV[i]);
            END LOOP;
            IF TG_ARGV[1] <> '' THEN
                tenant := current_row ->> TG_ARGV[1];
            END IF;
            INSERT INTO strata.change_events (tenant_id, table_name, op, primary_key, old, new, actor)
            VALUES (tenant, TG_ARGV[0], lower(TG_OP), key, old_row, new_row, nullif(current_setting('app.user_id', true), ''))
            RETURNING id INTO event_id;
            INSERT INTO strata.event_deliveries (handler, event_id, tenant_id)
            SELECT name, event_id, tenant FROM strata.event_handlers WHERE tables IS NULL OR TG_ARGV[0] = ANY (tables);
            RETURN NULL;
        END
        $$;

        -- Inserts are captured once per statement, from its transition table: a statement of many
        -- rows (a handler's batch, a bulk insert) costs two set-based inserts, not two per row.
        -- Updates and deletes stay per row, which pairs each row's before and after.
        CREATE FUNCTION strata.capture_insert() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            key_columns text[] := TG_ARGV[2:TG_NARGS - 1];
        BEGIN
            WITH inserted AS (
                SELECT to_jsonb(n) AS r FROM strata_new_rows n
            ), events AS (
                INSERT INTO strata.change_events (tenant_id, table_name, op, primary_key, new, actor)
                SELECT CASE WHEN TG_ARGV[1] <> '' THEN r ->> TG_ARGV[1] END, TG_ARGV[0], 'insert',
                       coalesce((SELECT jsonb_object_agg(c, r -> c) FROM unnest(key_columns) AS c), '{}'), r,
                       nullif(current_setting('app.user_id', true), '')
                FROM inserted
                RETURNING id, tenant_id
            )
            INSERT INTO strata.event_deliveries (handler, event_id, tenant_id)
            SELECT h.name, e.id, e.tenant_id FROM events e CROSS JOIN strata.event_handlers h
            WHERE h.tables IS NULL OR TG_ARGV[0] = ANY (h.tables);
            RETURN NULL;
        END
        $$;
        REVOKE ALL ON FUNCTION strata.capture_insert() FROM PUBLIC;

        CREATE OR REPLACE FUNCTION strata.capture_changes(target regclass, api_name text, tenant_column text,
                                                          key_columns text[], operations text[]) RETURNS void
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            arguments text := format('%L, %L', api_name, coalesce(tenant_column, ''));
            column_name text;
            per_row text[] := ARRAY(SELECT upper(op) FROM unnest(operations) AS op WHERE op <> 'insert');
        BEGIN
            IF cardinality(operations) = 0 OR NOT operations <@ ARRAY['insert', 'update', 'delete'] THEN
                RAISE EXCEPTION 'operations must be some of insert, update, delete, got %', operations;
            END IF;
            FOREACH column_name IN ARRAY key_columns LOOP
                arguments := arguments || format(', %L', column_name);
            END LOOP;
            EXECUTE format('DROP TRIGGER IF EXISTS strata_capture ON %s', target);
            EXECUTE format('DROP TRIGGER IF EXISTS strata_capture_insert ON %s', target);
            IF 'insert' = ANY (operations) THEN
                EXECUTE format('CREATE TRIGGER strata_capture_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS strata_new_rows '
                               'FOR EACH STATEMENT EXECUTE FUNCTION strata.capture_insert(%s)', target, arguments);
            END IF;
            IF cardinality(per_row) > 0 THEN
                EXECUTE format('CREATE TRIGGER strata_capture AFTER %s ON %s FOR EACH ROW EXECUTE FUNCTION strata.capture_change(%s)',
                               array_to_string(per_row, ' OR '), target, arguments);
            END IF;
        END
        $$;

        CREATE OR REPLACE FUNCTION strata.stop_capturing_except(keep regclass[]) RETURNS SETOF regclass
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            target regclass;
        BEGIN
            FOR target IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger
                          WHERE tgname IN ('strata_capture', 'strata_capture_insert') AND NOT tgrelid::regclass = ANY (keep) LOOP
                EXECUTE format('DROP TRIGGER IF EXISTS strata_capture ON %s', target);
                EXECUTE format('DROP TRIGGER IF EXISTS strata_capture_insert ON %s', target);
                RETURN NEXT target;
            END LOOP;
        END
        $$;

        CREATE OR REPLACE FUNCTION strata.emit(event_type text, payload jsonb DEFAULT '{}') RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            tenant text := nullif(current_setting('app.tenant_id', true), '');
            event_id bigint;
        BEGIN
            IF event_type IS NULL OR event_type !~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' THEN
                RAISE EXCEPTION 'a domain event type is lowercase words joined by dots (money.hold.expired), not %', coalesce(event_type, 'null');
            END IF;
            INSERT INTO strata.change_events (tenant_id, table_name, op, primary_key, new, actor)
            VALUES (tenant, event_type, 'event', '{}', coalesce(payload, '{}'), nullif(current_setting('app.user_id', true), ''))
            RETURNING id INTO event_id;
            INSERT INTO strata.event_deliveries (handler, event_id, tenant_id)
            SELECT name, event_id, tenant FROM strata.event_handlers WHERE tables IS NULL OR event_type = ANY (tables);
            RETURN event_id;
        END
        $$;

        -- The tenant's events after event `after_id` in the order (transaction_id, id), settled ones
        -- only: of transactions older than every one still running, so none can later commit
        -- before them. An `after_id` no longer kept (past retention) resumes after that id.
        CREATE FUNCTION strata.settled_change_events(after_id bigint, table_names text[], max_rows integer)
            RETURNS SETOF strata.change_events
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
            tenant text := nullif(current_setting('app.tenant_id', true), '');
            after_transaction xid8;
        BEGIN
            IF after_id IS NULL THEN
                RETURN;
            END IF;
            SELECT transaction_id INTO after_transaction FROM strata.change_events WHERE id = after_id;
            IF after_transaction IS NULL THEN
                RETURN QUERY SELECT * FROM strata.change_events e
                    WHERE e.id > after_id AND e.transaction_id < horizon AND e.table_name = ANY (table_names)
                      AND (e.tenant_id IS NULL OR e.tenant_id = tenant)
                    ORDER BY e.transaction_id, e.id LIMIT max_rows;
            ELSE
                RETURN QUERY SELECT * FROM strata.change_events e
                    WHERE (e.transaction_id, e.id) > (after_transaction, after_id) AND e.transaction_id < horizon
                      AND e.table_name = ANY (table_names) AND (e.tenant_id IS NULL OR e.tenant_id = tenant)
                    ORDER BY e.transaction_id, e.id LIMIT max_rows;
            END IF;
        END
        $$;
        -- Where a channel without a cursor starts: the last settled event (of any tenant: only a
        -- position, never sent).
        CREATE FUNCTION strata.last_settled_change_event_id() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT coalesce((SELECT id FROM strata.change_events
                                 WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                                 ORDER BY transaction_id DESC, id DESC LIMIT 1), 0)
            $$;
        GRANT EXECUTE ON FUNCTION strata.settled_change_events(bigint, text[], integer) TO PUBLIC;
        GRANT EXECUTE ON FUNCTION strata.last_settled_change_event_id() TO PUBLIC;
        """#)
}
