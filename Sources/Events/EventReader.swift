import Database
import Logging
import PostgresNIO
import ServiceLifecycle

/// Hands committed change events to handlers, at least once each, in order per tenant.
///
/// The capture trigger queues a delivery per registered handler in the writing transaction, so
/// a delivery exists exactly when its event committed. The reader claims due deliveries with
/// `FOR UPDATE SKIP LOCKED` inside a transaction, runs the handler on each, and deletes the
/// handled ones when the transaction commits. Several readers (several `strata` processes) can
/// run at once: each delivery is claimed by one. A reader that dies mid-batch leaves its
/// transaction to be rolled back, so the batch is claimed again — handlers are idempotent. A
/// failed delivery is retried with exponential backoff and, after the last attempt, kept as a
/// dead letter with its error (`strata events retry` re-queues it).
///
/// It wakes on `LISTEN strata_events`, and every `pollInterval` in case a notification was
/// missed (as while reconnecting).
public final class EventReader: Service, Sendable {
    public struct Configuration: Sendable {
        public var endpoint: DatabaseEndpoint
        public var batchSize: Int
        public var pollInterval: Duration
        public var retry: RetryPolicy

        public init(endpoint: DatabaseEndpoint, batchSize: Int = 100, pollInterval: Duration = .seconds(1), retry: RetryPolicy = RetryPolicy()) {
            self.endpoint = endpoint
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    public let configuration: Configuration
    let handlers: [any EventHandler]
    let logger: Logger

    public init(configuration: Configuration, handlers: [any EventHandler], logger: Logger) {
        self.configuration = configuration
        self.handlers = handlers
        self.logger = logger
    }

    public func run() async throws {
        try await EventWakeups.run(endpoint: configuration.endpoint, pollInterval: configuration.pollInterval, logger: logger) { wakes in
            await self.work(wakes)
        }
    }

    /// Drains every handler's due deliveries at each wake, on one connection kept open.
    private func work(_ wakes: AsyncStream<Void>) async {
        var connection: PostgresConnection?
        var registered = false
        for await _ in wakes {
            do {
                if connection == nil || connection?.isClosed == true {
                    connection = try await PostgresConnection.connect(configuration: configuration.endpoint.connectionConfiguration(),
                                                                      id: 0, logger: logger)
                    registered = false
                }
                guard let connection else { continue }
                let deliveries = EventDeliveries(connection: connection, logger: logger)
                if !registered {
                    for handler in handlers { try await deliveries.register(handler) }
                    registered = true
                }
                for handler in handlers {
                    while try await drainBatch(handler, deliveries) == configuration.batchSize, !Task.isCancelled {}
                }
            } catch {
                logger.error("reading change events failed", metadata: ["error": "\(String(reflecting: error))"])
                try? await connection?.close()
                connection = nil
            }
        }
        try? await connection?.close()
    }

    /// Claims one batch for `handler`, handles it, settles each delivery, commits. Returns the
    /// number claimed.
    func drainBatch(_ handler: any EventHandler, _ deliveries: EventDeliveries) async throws -> Int {
        try await deliveries.connection.guardedQuery("BEGIN", logger: logger)
        do {
            let batch = try await deliveries.claim(handler.name, limit: configuration.batchSize)
            var stalledTenants: Set<String?> = []
            var handled: [Int64] = []
            for claimed in batch where !stalledTenants.contains(claimed.event.tenantID) {
                do {
                    try await handler.handle(claimed.event)
                    handled.append(claimed.event.id)
                } catch {
                    // Later events of this tenant wait for this one.
                    stalledTenants.insert(claimed.event.tenantID)
                    let decision = configuration.retry.decision(afterFailedAttempt: claimed.attempts + 1)
                    let delay: Duration? = if case .retry(let after) = decision { after } else { nil }
                    if delay == nil {
                        logger.error("event handler gave up; the delivery is a dead letter",
                                     metadata: ["handler": "\(handler.name)", "event": "\(claimed.event.id)", "error": "\(error)"])
                    }
                    try await deliveries.fail(handler.name, event: claimed.event.id, error: String(describing: error), retryAfter: delay)
                }
            }
            // Acknowledgements take effect at commit whether sent one by one or together.
            try await deliveries.acknowledge(handler.name, events: handled)
            try await deliveries.connection.guardedQuery("COMMIT", logger: logger)
            return batch.count
        } catch {
            _ = try? await deliveries.connection.guardedQuery("ROLLBACK", logger: logger)
            throw error
        }
    }
}
