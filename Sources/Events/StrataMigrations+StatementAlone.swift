import Database

extension StrataMigrations {
    /// The functions of Strata's migrations that planned statements call: a server refuses to
    /// serve a database without them.
    public static let functionsStatementsCall = ["strata.permission_check(boolean, text)"]

    /// `strata.deferrable_found()` raises `ST409`, which rolls the statement back. Earlier
    /// versions' one-statement mutations called it when `pg_trigger` had a deferrable trigger,
    /// because their database client did not report a check failing at the commit after the
    /// rows; Strata's own client does, so no statement calls it now. It stays for a database
    /// that an earlier version still serves.
    static let statementAlone = Migration(version: "strata/0010", number: 10, name: "0010_statement_alone",
                                          displayPath: "strata/0010_statement_alone.sql", sql: #"""
        CREATE FUNCTION strata.deferrable_found() RETURNS boolean
            LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
            AS $$
        BEGIN
            RAISE EXCEPTION 'a deferrable constraint or trigger exists, so a write commits in a transaction'
                USING ERRCODE = 'ST409';
        END
        $$;
        GRANT EXECUTE ON FUNCTION strata.deferrable_found() TO PUBLIC;
        """#)
}
