import Logging
import PostgresNIO
import SQL

/// PostgreSQL's plan and timings for a planned statement, run as a request would run it: in a
/// transaction with the request's settings, rolled back afterwards.
public enum StatementExplanation {
    public static func analyze(_ sql: String, binds: [SQLValue], settings: ConnectionSettings,
                               endpoint: DatabaseEndpoint, logger: Logger) async throws -> [String] {
        let settingsSQL = SQLRenderer.render(settings.statement(scope: .transaction))
        let settingsValues = settingsSQL.binds.compactMap { bind -> SQLValue? in
            if case .value(let value) = bind { return value }
            return nil
        }
        return try await endpoint.withConnection(logger: logger) { connection in
            try await connection.guardedQuery("BEGIN", logger: logger)
            do {
                try await connection.guardedQuery(PostgresQuery(unsafeSQL: settingsSQL.text, binds: PostgresBindings(settingsValues)), logger: logger)
                var lines: [String] = []
                let explain = PostgresQuery(unsafeSQL: "EXPLAIN (ANALYZE, BUFFERS) " + sql, binds: PostgresBindings(binds))
                for try await row in try await connection.guardedQuery(explain, logger: logger) {
                    lines.append(try row.decode(String.self))
                }
                try await connection.guardedQuery("ROLLBACK", logger: logger)
                return lines
            } catch {
                _ = try? await connection.guardedQuery("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}

extension PostgresBindings {
    /// Binds for planned values: text, `text[]` or null, in order.
    public init(_ values: [SQLValue]) {
        self.init(capacity: values.count)
        for value in values {
            switch value {
            case .null: appendNull()
            case .text(let text): append(text)
            case .textArray(let items): append(items)
            }
        }
    }
}
