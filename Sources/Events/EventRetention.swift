import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// Trims change events older than the retention window, a minute after start (a process that
/// stops at once never begins) and then every `interval`: what
/// event channels can replay is what is kept. An event a handler has still to deliver (pending or
/// dead) is kept however old. Deletes go in slices so no statement holds many locks for long;
/// several processes trimming at once only share the work.
public struct EventRetention: Service {
    let endpoint: DatabaseEndpoint
    let retention: Duration
    let interval: Duration
    let logger: Logger

    public init(endpoint: DatabaseEndpoint, retention: Duration, interval: Duration = .seconds(3_600), logger: Logger) {
        self.endpoint = endpoint
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    static let slice = 10_000

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try? await Task.sleep(for: .seconds(60))
            while !Task.isCancelled {
                do {
                    let trimmed = try await trim()
                    if trimmed > 0 { logger.info("trimmed change events past the retention window", metadata: ["events": "\(trimmed)"]) }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("trimming change events failed; trying again later", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Deletes the events past the window, and the records of schedule runs as old; returns how
    /// many events.
    public func trim() async throws -> Int {
        let seconds = String(retention.components.seconds)
        return try await endpoint.withConnection(logger: logger) { connection in
            _ = try await connection.query("""
                DELETE FROM strata.schedule_runs WHERE slot < now() - make_interval(secs => \(seconds)::double precision)
                """, logger: logger)
            var total = 0
            while !Task.isCancelled {
                let rows = try await connection.query("""
                    WITH old AS (
                        SELECT e.id FROM strata.change_events e
                        WHERE e.created_at < now() - make_interval(secs => \(seconds)::double precision)
                          AND NOT EXISTS (SELECT FROM strata.event_deliveries d WHERE d.event_id = e.id)
                        ORDER BY e.created_at LIMIT \(Self.slice)
                    )
                    , gone AS (DELETE FROM strata.change_events WHERE id IN (SELECT id FROM old) RETURNING 1)
                    SELECT count(*)::bigint FROM gone
                    """, logger: logger)
                var deleted = 0
                for try await row in rows { deleted = Int(try row.decode(Int64.self)) }
                total += deleted
                if deleted < Self.slice { return total }
            }
            return total
        }
    }
}
