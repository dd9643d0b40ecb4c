import Database

extension StrataMigrations {
    /// What event channels read: a session's own tenant's change events after an id, at most
    /// `max_rows`, in order, and the id of its latest event. The API roles cannot read
    /// `strata.change_events` itself; these functions, run as its owner, hand them the current
    /// tenant's events only (`app.tenant_id`; events of tables without tenants to everyone), and
    /// the statement calling them applies the role's select permission to each event's row.
    /// The index, and the server's right to delete events, serve trimming events past the
    /// retention window.
    static let eventChannels = Migration(version: "strata/0004", number: 4, name: "0004_event_channels",
                                         displayPath: "strata/0004_event_channels.sql", sql: #"""
        CREATE FUNCTION strata.tenant_change_events(after_id bigint, table_names text[], max_rows integer)
            RETURNS SETOF strata.change_events
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT * FROM strata.change_events
                WHERE after_id IS NOT NULL AND id > after_id AND table_name = ANY (table_names)
                  AND (tenant_id IS NULL OR tenant_id = nullif(current_setting('app.tenant_id', true), ''))
                ORDER BY id
                LIMIT max_rows
            $$;
        CREATE FUNCTION strata.last_change_event_id() RETURNS bigint
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT coalesce(max(id), 0) FROM strata.change_events
                WHERE tenant_id IS NULL OR tenant_id = nullif(current_setting('app.tenant_id', true), '')
            $$;
        GRANT EXECUTE ON FUNCTION strata.tenant_change_events(bigint, text[], integer) TO PUBLIC;
        GRANT EXECUTE ON FUNCTION strata.last_change_event_id() TO PUBLIC;
        CREATE INDEX change_events_created_at ON strata.change_events (created_at);
        -- The server trims events past the retention window.
        DO $grant$
        BEGIN
            IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'strata_authenticator') THEN
                GRANT DELETE ON strata.change_events TO strata_authenticator;
            END IF;
        END
        $grant$;
        """#)
}
