import Database

/// Strata's own schema objects, applied by `strata migrate` after the project's migrations and
/// recorded like them (as `strata/0001`, …), so a database always says which version of them
/// it holds.
public enum StrataMigrations {
    public static let set = MigrationSet(migrations: [changeEvents, permissionCheck, changeNotifications, eventChannels, declaredHandlers, domainEventsAndSchedules,
                                                                 changeFeed, channelStart, rateUsage, statementAlone, delayedDeliveries], versionPrefix: "strata/")

    /// `strata.change_events`, the handlers and their deliveries, the trigger function that fills
    /// them, and the functions that attach that trigger to the tables whose YAML enables events.
    /// The trigger queues one delivery per registered handler that wants the table, in the
    /// writing transaction, so a delivery exists exactly when its event committed.
    static let changeEvents = Migration(version: "strata/0001", number: 1, name: "0001_change_events",
                                        displayPath: "strata/0001_change_events.sql", sql: #"""
        CREATE SCHEMA IF NOT EXISTS strata;

        -- One row per changed row of a table whose YAML enables events, written by the trigger in
        -- the changing transaction: gone with it on rollback.
        CREATE TABLE strata.change_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            tenant_id text,
            table_name text NOT NULL,
            op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
            primary_key jsonb NOT NULL,
            old jsonb,
            new jsonb,
            actor text,
            transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX change_events_tenant ON strata.change_events (tenant_id, id);

        -- A handler the reader runs; `tables` null means every table.
        CREATE TABLE strata.event_handlers (
            name text PRIMARY KEY,
            tables text[],
            registered_at timestamptz NOT NULL DEFAULT now()
        );

        -- One event still to be handled by one handler: pending (waiting until `available_at`
        -- after a failure), or dead after its last attempt, with the error.
        CREATE TABLE strata.event_deliveries (
            handler text NOT NULL REFERENCES strata.event_handlers (name) ON DELETE CASCADE,
            event_id bigint NOT NULL REFERENCES strata.change_events (id) ON DELETE CASCADE,
            tenant_id text,
            attempts integer NOT NULL DEFAULT 0,
            available_at timestamptz NOT NULL DEFAULT now(),
            dead boolean NOT NULL DEFAULT false,
            last_error text,
            PRIMARY KEY (handler, event_id)
        );
        CREATE INDEX event_deliveries_pending ON strata.event_deliveries (handler, event_id) WHERE NOT dead;

        -- The trigger: arguments are the API name of the table, its tenant column ('' if none),
        -- then its primary key columns. An update that changes nothing leaves no event.
        CREATE FUNCTION strata.capture_change() RETURNS trigger
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
            PERFORM pg_notify('strata_events', json_build_object('id', event_id, 'tenant_id', tenant, 'table', TG_ARGV[0])::text);
            RETURN NULL;
        END
        $$;
        REVOKE ALL ON FUNCTION strata.capture_change() FROM PUBLIC;

        -- Attaches (or re-attaches, with these arguments) the trigger to one table.
        CREATE FUNCTION strata.capture_changes(target regclass, api_name text, tenant_column text,
                                               key_columns text[], operations text[]) RETURNS void
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            arguments text := format('%L, %L', api_name, coalesce(tenant_column, ''));
            column_name text;
        BEGIN
            IF cardinality(operations) = 0 OR NOT operations <@ ARRAY['insert', 'update', 'delete'] THEN
                RAISE EXCEPTION 'operations must be some of insert, update, delete, got %', operations;
            END IF;
            FOREACH column_name IN ARRAY key_columns LOOP
                arguments := arguments || format(', %L', column_name);
            END LOOP;
            EXECUTE format('DROP TRIGGER IF EXISTS strata_capture ON %s', target);
            EXECUTE format('CREATE TRIGGER strata_capture AFTER %s ON %s FOR EACH ROW EXECUTE FUNCTION strata.capture_change(%s)',
                           array_to_string(ARRAY(SELECT upper(op) FROM unnest(operations) AS op), ' OR '), target, arguments);
        END
        $$;

        -- Detaches the trigger from every table not in `keep`.
        CREATE FUNCTION strata.stop_capturing_except(keep regclass[]) RETURNS SETOF regclass
            LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            target regclass;
        BEGIN
            FOR target IN SELECT tgrelid::regclass FROM pg_trigger
                          WHERE tgname = 'strata_capture' AND NOT tgrelid::regclass = ANY (keep) LOOP
                EXECUTE format('DROP TRIGGER strata_capture ON %s', target);
                RETURN NEXT target;
            END LOOP;
        END
        $$;

        -- The server's login role reads and acknowledges events; application roles see none.
        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_authenticator') THEN
                GRANT USAGE ON SCHEMA strata TO strata_authenticator;
                GRANT SELECT ON strata.change_events TO strata_authenticator;
                GRANT SELECT, INSERT, UPDATE ON strata.event_handlers TO strata_authenticator;
                GRANT SELECT, UPDATE, DELETE ON strata.event_deliveries TO strata_authenticator;
            END IF;
        END
        $$;
        """#)
}
