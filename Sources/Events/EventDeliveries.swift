import Database
import Logging
import PostgresNIO

/// The SQL of handing out deliveries: registering handlers, claiming a batch, settling each
/// delivery. Every statement runs on the reader's work connection; values are binds.
public struct EventDeliveries {
    let connection: PostgresConnection
    let logger: Logger

    /// One delivery of a claimed batch.
    struct Claimed: Sendable {
        var event: ChangeEvent
        var attempts: Int
        /// How long ago its event was written, when it was claimed.
        var age: Duration = .zero
    }

    func register(_ handler: any EventHandler) async throws {
        let declared = handler.isDeclared
        _ = try await connection.guardedQuery("""
            INSERT INTO strata.event_handlers (name, tables, declared) VALUES (\(handler.name), \(handler.tables)::text[], \(declared))
            ON CONFLICT (name) DO UPDATE SET tables = excluded.tables, declared = excluded.declared
            """, logger: logger)
    }

    /// In an open transaction: up to `limit` deliveries of `handler` that are due, in event
    /// order, locked against other readers (rows already locked are skipped). A tenant whose
    /// deliveries another reader is handling, or whose earlier delivery waits for a retry, is
    /// left alone, which keeps each tenant's events in order.
    func claim(_ handler: String, limit: Int) async throws -> [Claimed] {
        // The deliveries waiting for a retry are few: gathered once (from an index of the ones
        // tried before, `attempts > 0`), each holds back its tenant's later events. (A subquery
        // per candidate row made a long backlog quadratic.)
        let rows = try await connection.guardedQuery("""
            WITH waiting AS MATERIALIZED (
                SELECT coalesce(tenant_id, '') AS tenant, min(event_id) AS first_event FROM strata.event_deliveries
                WHERE handler = \(handler) AND attempts > 0 AND NOT dead AND available_at > now() GROUP BY 1
            )
            SELECT d.event_id, e.tenant_id, e.table_name, e.op, e.primary_key::text, e.old::text, e.new::text, e.actor,
                   e.transaction_id::text, d.attempts, (extract(epoch FROM clock_timestamp() - e.created_at) * 1000000)::bigint
            FROM strata.event_deliveries d JOIN strata.change_events e ON e.id = d.event_id
            WHERE d.handler = \(handler) AND NOT d.dead AND d.available_at <= now()
              AND NOT EXISTS (SELECT FROM waiting w WHERE w.tenant = coalesce(d.tenant_id, '') AND w.first_event < d.event_id)
              AND pg_try_advisory_xact_lock(hashtext('strata.events'), hashtext(d.handler || '/' || coalesce(d.tenant_id, '')))
            ORDER BY d.event_id
            LIMIT \(limit)
            FOR UPDATE OF d SKIP LOCKED
            """, logger: logger)
        var claimed: [Claimed] = []
        for try await (id, tenant, table, op, key, old, new, actor, transaction, attempts, microseconds)
            in rows.decode((Int64, String?, String, String, String, String?, String?, String?, String, Int32, Int64).self) {
            guard let operation = ChangeEvent.Operation(rawValue: op) else { continue }
            let event = ChangeEvent(id: id, tenantID: tenant, table: table, operation: operation, primaryKeyJSON: key,
                                    oldJSON: old, newJSON: new, actor: actor, transactionID: Int64(transaction) ?? 0)
            claimed.append(Claimed(event: event, attempts: Int(attempts), age: .microseconds(max(0, microseconds))))
        }
        return claimed
    }

    /// Settles handled deliveries, in one statement for a whole batch.
    func acknowledge(_ handler: String, events: [Int64]) async throws {
        guard !events.isEmpty else { return }
        try await connection.guardedQuery("DELETE FROM strata.event_deliveries WHERE handler = \(handler) AND event_id = ANY(\(events))", logger: logger)
    }

    /// Records a failed attempt: tried again after `delay`, or parked as dead when nil.
    func fail(_ handler: String, event: Int64, error: String, retryAfter delay: Duration?) async throws {
        let milliseconds = delay.map { Int64($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) }
        _ = try await connection.guardedQuery("""
            UPDATE strata.event_deliveries
            SET attempts = attempts + 1, last_error = \(error), dead = \(milliseconds == nil),
                available_at = now() + make_interval(secs => coalesce(\(milliseconds), 0) / 1000.0)
            WHERE handler = \(handler) AND event_id = \(event)
            """, logger: logger)
    }

    /// Puts an event's dead deliveries (of one handler, or all) back in the queue, as if new (the
    /// readers find them at their next poll). Returns how many were re-queued.
    public static func retry(_ handler: String?, event: Int64, on endpoint: DatabaseEndpoint, logger: Logger) async throws -> Int {
        try await endpoint.withConnection(logger: logger) { connection in
            let rows = try await connection.guardedQuery("""
                WITH requeued AS (
                    UPDATE strata.event_deliveries SET dead = false, attempts = 0, available_at = now(), last_error = NULL
                    WHERE event_id = \(event) AND dead AND (\(handler)::text IS NULL OR handler = \(handler))
                    RETURNING handler
                )
                SELECT count(*)::int FROM requeued
                """, logger: logger)
            var count = 0
            for try await requeued in rows.decode(Int32.self) { count = Int(requeued) }
            return count
        }
    }
}
