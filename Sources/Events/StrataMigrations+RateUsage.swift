import Database

extension StrataMigrations {
    /// The shared tier of rate limiting: each `strata` process adds what it admitted per bucket
    /// and second, in batches, and reads back what every process admitted in that second. The
    /// table is unlogged (a crash forgets at most a few seconds of counts, which is all it
    /// holds) and only reached through a function run as its owner, so API roles never see it.
    static let rateUsage = Migration(version: "strata/0009", number: 9, name: "0009_rate_usage",
                                     displayPath: "strata/0009_rate_usage.sql", sql: #"""
        CREATE UNLOGGED TABLE strata.rate_usage (
            key text NOT NULL,
            window_start bigint NOT NULL,
            used bigint NOT NULL,
            PRIMARY KEY (key, window_start)
        );

        -- Adds `amounts` to the `keys`' counts of second `this_window` (in key order, so
        -- processes adding the same keys never wait on each other in a cycle) and returns each
        -- key's total for that second, every process's together. Counts older than a minute are
        -- dropped now and then.
        CREATE FUNCTION strata.count_rate_usage(keys text[], amounts bigint[], this_window bigint)
            RETURNS TABLE (bucket text, total bigint)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
            AS $$
        BEGIN
            IF random() < 0.02 THEN
                DELETE FROM strata.rate_usage WHERE window_start < this_window - 60;
            END IF;
            RETURN QUERY
                INSERT INTO strata.rate_usage AS u (key, window_start, used)
                SELECT t.k, this_window, t.a FROM unnest(keys, amounts) AS t(k, a) ORDER BY t.k
                ON CONFLICT (key, window_start) DO UPDATE SET used = u.used + excluded.used
                RETURNING u.key, u.used;
        END
        $$;
        GRANT EXECUTE ON FUNCTION strata.count_rate_usage(text[], bigint[], bigint) TO PUBLIC;
        """#)
}
