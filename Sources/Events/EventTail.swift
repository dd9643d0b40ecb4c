import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// Follows `strata.change_events` as events settle (see `ChangeFeed`), one JSON object per
/// event, for `strata events tail`.
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
        var start = Position(transaction: nil, id: after ?? 0, since: nil)
        if let after {
            for try await transaction in try await connection.guardedQuery(
                "SELECT transaction_id::text FROM strata.change_events WHERE id = \(after)", logger: logger).decode(String.self) {
                start.transaction = transaction
            }
        } else {
            // From now on: after the last settled event, leaving out the events committed
            // before now that have not settled yet (visible in the snapshot taken now).
            for try await (transaction, id, snapshot) in try await connection.guardedQuery("""
                SELECT (SELECT transaction_id::text FROM strata.change_events WHERE id = last.id), last.id, pg_current_snapshot()::text
                FROM (SELECT coalesce((SELECT id FROM strata.change_events
                                       WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                                       ORDER BY transaction_id DESC, id DESC LIMIT 1), 0) AS id) last
                """, logger: logger).decode((String?, Int64, String).self) {
                start = Position(transaction: transaction, id: id, since: snapshot)
            }
        }
        let first = start
        try await EventWakeups.run(endpoint: endpoint, feed: nil, settled: true, pollInterval: pollInterval, logger: logger) { wakes in
            var position = first
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

    /// An event's place in the order events are printed: its transaction's id, then its own. Its
    /// transaction is nil for an event no longer kept: the next are those after its id.
    struct Position {
        var transaction: String?
        var id: Int64
        /// The snapshot of the start: events it saw had committed before and are not printed.
        var since: String?
    }

    /// Prints the settled events after `position` (of the tenant, if one was given) in the order
    /// `(transaction_id, id)` — no event can commit before a settled one later — and returns
    /// the last one's position.
    private func print(after start: Position, on connection: PostgresConnection) async throws -> Position {
        var position = start
        while true {
            let rows = try await connection.guardedQuery("""
                SELECT id, transaction_id::text,
                       json_build_object('id', id, 'tenant_id', tenant_id, 'table', table_name, 'op', op,
                                         'primary_key', primary_key, 'old', old, 'new', new, 'actor', actor,
                                         'created_at', created_at)::text
                FROM strata.change_events
                WHERE (transaction_id, id) > (coalesce(\(position.transaction)::xid8, '0'::xid8), \(position.id))
                  AND (\(position.transaction)::xid8 IS NOT NULL OR id > \(position.id))
                  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                  AND (\(position.since)::pg_snapshot IS NULL OR NOT pg_visible_in_snapshot(transaction_id, \(position.since)::pg_snapshot))
                  AND (\(tenant)::text IS NULL OR tenant_id = \(tenant))
                ORDER BY transaction_id, id LIMIT 500
                """, logger: logger)
            var count = 0
            for try await (eventID, transaction, line) in rows.decode((Int64, String, String).self) {
                output(line)
                position = Position(transaction: transaction, id: eventID, since: position.since)
                count += 1
            }
            if count < 500 { return position }
        }
    }
}
