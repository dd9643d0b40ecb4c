import Logging
import PostgresNIO

/// Functions a server's statements call that the database lacks: what a database migrated by
/// an older Strata is missing until `strata migrate` runs.
public enum MissingFunctions {
    /// Those of `signatures` (`schema.name(argument types)`) that do not resolve on `connection`.
    public static func among(_ signatures: [String], on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        let rows = try await connection.query(
            "SELECT name FROM unnest(\(signatures)::text[]) AS name WHERE to_regprocedure(name) IS NULL ORDER BY name",
            logger: logger)
        var missing: [String] = []
        for try await name in rows.decode(String.self) { missing.append(name) }
        return missing
    }
}
