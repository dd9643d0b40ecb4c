import Database

extension StrataMigrations {
    /// Named domain events beside table changes: `strata.emit('money.hold.expired', payload)`
    /// writes a change event of operation `event` whose table is the event's type and whose
    /// `new` is the payload, under the session's tenant and user, and queues it for the handlers
    /// that want that type — in the emitting transaction, like every change event.
    /// Schedules: a row per schedule slot run (its primary key lets one process only claim a
    /// slot), and one-off scheduled events waiting for their time (`strata.schedule`).
    static let domainEventsAndSchedules = Migration(version: "strata/0006", number: 6, name: "0006_domain_events_and_schedules",
                                                    displayPath: "strata/0006_domain_events_and_schedules.sql", sql: #"""
        ALTER TABLE strata.change_events DROP CONSTRAINT change_events_op_check;
        ALTER TABLE strata.change_events ADD CONSTRAINT change_events_op_check CHECK (op IN ('insert', 'update', 'delete', 'event'));

        CREATE FUNCTION strata.emit(event_type text, payload jsonb DEFAULT '{}') RETURNS bigint
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
            PERFORM pg_notify('strata_events', json_build_object('tenant_id', tenant, 'table', event_type)::text);
            RETURN event_id;
        END
        $$;
        GRANT EXECUTE ON FUNCTION strata.emit(text, jsonb) TO PUBLIC;

        CREATE TABLE strata.schedule_runs (
            schedule text NOT NULL,
            tenant_id text NOT NULL DEFAULT '',
            slot timestamptz NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            error text,
            PRIMARY KEY (schedule, tenant_id, slot)
        );

        CREATE TABLE strata.scheduled_events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            schedule text NOT NULL,
            tenant_id text,
            run_at timestamptz NOT NULL,
            payload jsonb NOT NULL DEFAULT '{}',
            actor text,
            attempts integer NOT NULL DEFAULT 0,
            available_at timestamptz NOT NULL DEFAULT now(),
            dead boolean NOT NULL DEFAULT false,
            last_error text,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX scheduled_events_due ON strata.scheduled_events (run_at) WHERE NOT dead;

        -- Runs schedule `schedule_name`'s resolver once at `run_at` with `payload`, under the
        -- session's tenant and user; its id.
        CREATE FUNCTION strata.schedule(schedule_name text, run_at timestamptz, payload jsonb DEFAULT '{}') RETURNS bigint
            LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                INSERT INTO strata.scheduled_events (schedule, tenant_id, run_at, payload, actor)
                VALUES (schedule_name, nullif(current_setting('app.tenant_id', true), ''), run_at, coalesce(payload, '{}'),
                        nullif(current_setting('app.user_id', true), ''))
                RETURNING id
            $$;
        GRANT EXECUTE ON FUNCTION strata.schedule(text, timestamptz, jsonb) TO PUBLIC;

        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_authenticator') THEN
                GRANT SELECT, INSERT, UPDATE, DELETE ON strata.schedule_runs, strata.scheduled_events TO strata_authenticator;
            END IF;
        END
        $$;
        """#)
}
