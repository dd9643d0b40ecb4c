import Database

extension StrataMigrations {
    /// Where an event channel without `after` starts: "from now on" means every event committed
    /// before the first answer is left out and every later one is sent. The last settled event
    /// alone is not that place: events committed while an older transaction (of any database
    /// of the cluster) still runs are not settled yet and would be sent as new. The start is
    /// that event plus the snapshot taken then (`<id>@<snapshot>`); events visible in the
    /// snapshot are skipped until the cursor has passed every transaction it knew of.
    static let channelStart = Migration(version: "strata/0008", number: 8, name: "0008_channel_start",
                                        displayPath: "strata/0008_channel_start.sql", sql: #"""
        DROP FUNCTION strata.settled_change_events(bigint, text[], integer);
        DROP FUNCTION strata.last_settled_change_event_id();

        -- The tenant's settled events after the cursor `after` (`<id>` or `<id>@<snapshot>`) in
        -- the order (transaction_id, id), leaving out those visible in the cursor's snapshot.
        -- An id no longer kept (past retention) resumes after that id.
        CREATE FUNCTION strata.settled_change_events(after text, table_names text[], max_rows integer)
            RETURNS SETOF strata.change_events
            LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        DECLARE
            horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
            tenant text := nullif(current_setting('app.tenant_id', true), '');
            after_id bigint := split_part(after, '@', 1)::bigint;
            since pg_snapshot := nullif(split_part(after, '@', 2), '')::pg_snapshot;
            after_transaction xid8;
        BEGIN
            IF after IS NULL THEN
                RETURN;
            END IF;
            SELECT transaction_id INTO after_transaction FROM strata.change_events WHERE id = after_id;
            IF after_transaction IS NULL THEN
                RETURN QUERY SELECT * FROM strata.change_events e
                    WHERE e.id > after_id AND e.transaction_id < horizon
                      AND (since IS NULL OR NOT pg_visible_in_snapshot(e.transaction_id, since))
                      AND e.table_name = ANY (table_names) AND (e.tenant_id IS NULL OR e.tenant_id = tenant)
                    ORDER BY e.transaction_id, e.id LIMIT max_rows;
            ELSE
                RETURN QUERY SELECT * FROM strata.change_events e
                    WHERE (e.transaction_id, e.id) > (after_transaction, after_id) AND e.transaction_id < horizon
                      AND (since IS NULL OR NOT pg_visible_in_snapshot(e.transaction_id, since))
                      AND e.table_name = ANY (table_names) AND (e.tenant_id IS NULL OR e.tenant_id = tenant)
                    ORDER BY e.transaction_id, e.id LIMIT max_rows;
            END IF;
        END
        $$;

        -- A channel's start: the last settled event (of any tenant: only a position, never sent)
        -- and the snapshot now.
        CREATE FUNCTION strata.change_event_start() RETURNS text
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT coalesce((SELECT id FROM strata.change_events
                                 WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                                 ORDER BY transaction_id DESC, id DESC LIMIT 1), 0)::text
                       || '@' || pg_current_snapshot()::text
            $$;

        -- The cursor after an event read with cursor `after`: the event's id, with the start's
        -- snapshot as long as a later event may still be one the snapshot saw.
        CREATE FUNCTION strata.change_event_cursor(event_id bigint, event_transaction xid8, after text) RETURNS text
            LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
            AS $$
                SELECT CASE WHEN split_part(after, '@', 2) <> ''
                                 AND event_transaction < pg_snapshot_xmax(split_part(after, '@', 2)::pg_snapshot)
                            THEN event_id::text || '@' || split_part(after, '@', 2)
                            ELSE event_id::text END
            $$;
        GRANT EXECUTE ON FUNCTION strata.settled_change_events(text, text[], integer) TO PUBLIC;
        GRANT EXECUTE ON FUNCTION strata.change_event_start() TO PUBLIC;
        GRANT EXECUTE ON FUNCTION strata.change_event_cursor(bigint, xid8, text) TO PUBLIC;
        """#)
}
