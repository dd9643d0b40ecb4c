import Database

extension StrataMigrations {
    /// SQLSTATE of a write that cannot commit with its own statement: the database has a
    /// deferrable constraint or trigger, whose check would run at a commit after the answer.
    public static let deferrableState = "ST409"

    /// The functions of Strata's migrations that planned statements call: a server refuses to
    /// serve a database without them.
    public static let functionsStatementsCall = ["strata.permission_check(boolean, text)", "strata.deferrable_found()"]

    /// `strata.deferrable_found()` raises `ST409`, which rolls the statement back. A mutation
    /// that is one statement runs without `BEGIN … COMMIT`, committing when PostgreSQL finishes
    /// it; a check deferred to that commit could fail after the rows were sent, so such a
    /// statement calls this when `pg_trigger` has a deferrable trigger (every deferrable
    /// constraint has one), and the server runs it again inside a transaction.
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
