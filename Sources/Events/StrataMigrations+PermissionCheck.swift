import Database

extension StrataMigrations {
    /// SQLSTATE of a write that broke a role's `check`: Strata's own code, so it is never
    /// mistaken for a table's CHECK constraint (23514).
    public static let permissionCheckState = "ST403"

    /// `strata.permission_check(passed, table)`: true when `passed` is, else it raises
    /// `ST403` naming the table (in the error's table field), which rolls the statement back.
    /// A mutation statement calls it once per written table after its writes.
    static let permissionCheck = Migration(version: "strata/0002", number: 2, name: "0002_permission_check",
                                           displayPath: "strata/0002_permission_check.sql", sql: #"""
        CREATE FUNCTION strata.permission_check(passed boolean, table_name text) RETURNS boolean
            LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
            AS $$
        BEGIN
            IF passed IS NOT TRUE THEN
                RAISE EXCEPTION 'a written row of % breaks the role''s check', table_name
                    USING ERRCODE = 'ST403', TABLE = table_name;
            END IF;
            RETURN true;
        END
        $$;
        GRANT USAGE ON SCHEMA strata TO PUBLIC;
        GRANT EXECUTE ON FUNCTION strata.permission_check(boolean, text) TO PUBLIC;
        """#)
}
