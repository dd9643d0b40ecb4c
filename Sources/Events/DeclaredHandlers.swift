import Database
import Logging
import PostgresNIO

/// Keeps `strata.event_handlers` as the YAML's triggers say: each declared handler registered
/// with its tables, and declared ones no longer in the YAML removed with their deliveries.
/// Handlers registered by code are left alone. Run by `strata migrate`, as the owner.
public enum DeclaredHandlers {
    public struct Report: Sendable, Equatable {
        public var registered: [String]
        public var removed: [String]
    }

    public static func sync(_ handlers: [any EventHandler], on connection: PostgresConnection, logger: Logger) async throws -> Report {
        let names = handlers.map(\.name)
        var removed: [String] = []
        let rows = try await connection.guardedQuery("""
            DELETE FROM strata.event_handlers WHERE declared AND NOT name = ANY (\(names)::text[]) RETURNING name
            """, logger: logger)
        for try await name in rows.decode(String.self) { removed.append(name) }
        for handler in handlers {
            _ = try await connection.guardedQuery("""
                INSERT INTO strata.event_handlers (name, tables, declared) VALUES (\(handler.name), \(handler.tables)::text[], true)
                ON CONFLICT (name) DO UPDATE SET tables = excluded.tables, declared = true
                """, logger: logger)
        }
        return Report(registered: names, removed: removed.sorted())
    }
}
