import Database

extension StrataMigrations {
    /// The capture trigger's notification names the tenant and table only, no event id:
    /// PostgreSQL folds identical notifications of one transaction into one, so a transaction
    /// writing many rows sends one per tenant and table, not one per row — all that listeners
    /// (the event reader, live queries) need to know to look.
    static let changeNotifications = Migration(version: "strata/0003", number: 3, name: "0003_change_notifications",
                                               displayPath: "strata/0003_change_notifications.sql", sql: #"""
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
            PERFORM pg_notify('strata_events', json_build_object('tenant_id', tenant, 'table', TG_ARGV[0])::text);
            RETURN NULL;
        END
        $$;
        """#)
}
