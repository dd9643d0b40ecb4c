import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// Follows `strata.change_events` as events commit, one JSON object per event, for
/// `strata events tail`.
public final class EventTail: Service, Sendable {
    let endpoint: DatabaseEndpoint
    let tenant: String?
    /// Events after this id; nil: only those written from now on.
    let after: Int64?
    let pollInterval: Duration
    let output: @Sendable (String) -> Void
    let logger: Logger

    public init(endpoint: DatabaseEndpoint, tenant: String?, after: Int64?, pollInterval: Duration = .seconds(1),
                logger: Logger, output: @escaping @Sendable (String) -> Void) {
        self.endpoint = endpoint
        self.tenant = tenant
        self.after = after
        self.pollInterval = pollInterval
        self.output = output
        self.logger = logger
    }

    public func run() async throws {
        let connection = try await PostgresConnection.connect(configuration: endpoint.connectionConfiguration(), id: 0, logger: logger)
        var last = after
        if last == nil {
            for try await id in try await connection.guardedQuery("SELECT coalesce(max(id), 0) FROM strata.change_events", logger: logger)
                .decode(Int64.self) { last = id }
        }
        let start = last ?? 0
        try await EventWakeups.run(endpoint: endpoint, pollInterval: pollInterval, logger: logger) { wakes in
            var position = start
            for await _ in wakes {
                do {
                    position = try await self.print(after: position, on: connection)
                } catch {
                    self.logger.error("reading change events failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
        try await connection.close()
    }

    /// Prints the events after `id` (of the tenant, if one was given); returns the last id printed.
    private func print(after id: Int64, on connection: PostgresConnection) async throws -> Int64 {
        var position = id
        while true {
            let rows = try await connection.guardedQuery("""
                SELECT id, json_build_object('id', id, 'tenant_id', tenant_id, 'table', table_name, 'op', op,
                                             'primary_key', primary_key, 'old', old, 'new', new, 'actor', actor,
                                             'created_at', created_at)::text
                FROM strata.change_events
                WHERE id > \(position) AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))
                ORDER BY id LIMIT 500
                """, logger: logger)
            var count = 0
            for try await (eventID, line) in rows.decode((Int64, String).self) {
                output(line)
                position = eventID
                count += 1
            }
            if count < 500 { return position }
        }
    }
}
