import Database
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

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
/// It wakes when the change feed sees events commit, and every `pollInterval` for deliveries
/// whose retry came due.
public final class EventReader: Service, Sendable {
    public struct Configuration: Sendable {
        public var endpoint: DatabaseEndpoint
        public var batchSize: Int
        public var pollInterval: Duration
        public var retry: RetryPolicy
        /// How many handlers run at once, each on a connection of its own.
        public var concurrency: Int
        /// The role handlers run as (`SET LOCAL ROLE`); nil keeps the login role.
        public var role: String?

        public init(endpoint: DatabaseEndpoint, batchSize: Int = 100, pollInterval: Duration = .seconds(1), retry: RetryPolicy = RetryPolicy(),
                    concurrency: Int = 2, role: String? = nil) {
            self.endpoint = endpoint
            self.concurrency = concurrency
            self.role = role
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retry = retry
        }
    }

    public let configuration: Configuration
    let handlers: [any EventHandler]
    /// The process's change feed; nil: the reader follows one of its own.
    let feed: ChangeFeed?
    let logger: Logger
    let metrics: EventMetrics?
    /// Whether its last look at the deliveries failed (set after each wake).
    private let failing = Atomic<Bool>(false)
    /// Set at graceful shutdown: the batch in hand is finished, no other is claimed.
    private let stopping = Atomic<Bool>(false)
    /// Set when a batch failed: the handlers are registered again at the next wake, in case
    /// the database lost them.
    private let unregistered = Atomic<Bool>(false)

    /// Whether the reader's last look at the deliveries went through (or it has not looked
    /// yet): what `/readyz` asks of the background workers. A reader that cannot connect or
    /// read says so after its first attempt.
    public var isWorking: Bool { !failing.load(ordering: .relaxed) }

    public init(configuration: Configuration, handlers: [any EventHandler], feed: ChangeFeed? = nil, metrics: EventMetrics? = nil, logger: Logger) {
        self.configuration = configuration
        self.handlers = handlers
        self.feed = feed
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await EventWakeups.run(endpoint: configuration.endpoint, feed: feed, pollInterval: configuration.pollInterval, logger: logger) { wakes in
                await self.work(wakes)
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
        }
    }

    private var shouldStop: Bool { Task.isCancelled || stopping.load(ordering: .relaxed) }

    /// Drains the due deliveries of the handlers whose tables changed at each wake (every
    /// handler's at each poll): `concurrency` workers, each on a connection of its own kept open,
    /// take one batch of one handler at a time from a `HandlerQueue` — one handler's deliveries
    /// are never handled twice at once, different handlers run side by side, and a handler with
    /// more waiting goes to the back of the line.
    private func work(_ wakes: EventWakeups) async {
        let queue = HandlerQueue()
        await withDiscardingTaskGroup { group in
            for _ in 0..<max(1, configuration.concurrency) {
                group.addTask { await self.serve(queue) }
            }
            var registered = false
            for await changed in wakes {
                if unregistered.exchange(false, ordering: .relaxed) { registered = false }
                do {
                    if !registered {
                        try await configuration.endpoint.withConnection(logger: logger) { connection in
                            let deliveries = EventDeliveries(connection: connection, logger: self.logger)
                            for handler in self.handlers { try await deliveries.register(handler) }
                        }
                        registered = true
                    }
                } catch {
                    failing.store(true, ordering: .relaxed)
                    logger.error("registering event handlers failed", metadata: ["error": "\(String(reflecting: error))"])
                    continue
                }
                // Only the handlers of the tables that changed, unless told to look everywhere.
                queue.mark(handlers.indices.filter { index in
                    guard let changed, let tables = handlers[index].tables else { return true }
                    return !changed.isDisjoint(with: tables)
                })
            }
            queue.finish()
        }
    }

    /// One worker: takes a handler from `queue`, claims and handles one batch of it, and gives it
    /// back (to the end of the line if the batch was full), until the queue is finished.
    private func serve(_ queue: HandlerQueue) async {
        var connection: PostgresConnection?
        while let index = await queue.next() {
            let handler = handlers[index]
            var full = false
            if !shouldStop {
                do {
                    if connection == nil || connection?.isClosed == true {
                        let opened = try await PostgresConnection.connect(configuration: configuration.endpoint.connectionConfiguration(),
                                                                          id: 0, logger: logger)
                        connection = opened
                        // A batch's effects and its acknowledgement commit together, so a commit
                        // lost in a crash loses both and the batch is handled again: nothing needs
                        // to wait for the disk before the next batch.
                        try await opened.guardedQuery("SET synchronous_commit = off", logger: logger)
                    }
                    if let connection {
                        let claimed = try await drainBatch(handler, EventDeliveries(connection: connection, logger: logger))
                        full = claimed == (handler.batchSize ?? configuration.batchSize)
                    }
                    failing.store(false, ordering: .relaxed)
                } catch {
                    failing.store(true, ordering: .relaxed)
                    unregistered.store(true, ordering: .relaxed)
                    logger.error("reading change events failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await connection?.close()
                    connection = nil
                }
            }
            queue.done(index, again: full && !shouldStop)
        }
        try? await connection?.close()
    }

    /// Claims one batch for `handler`, hands each tenant's events to it in a savepoint of their
    /// own, settles each delivery, commits. Returns the number claimed.
    ///
    /// A tenant's events go to the handler together (unless one of them failed before), so a
    /// set-based effect costs one statement per tenant and batch. When that fails, the savepoint undoes it and the events are tried one
    /// by one: those before the failing one are handled, the failing one is scheduled for a retry
    /// (or becomes a dead letter), and the tenant's later ones wait for it.
    func drainBatch(_ handler: any EventHandler, _ deliveries: EventDeliveries) async throws -> Int {
        let connection = deliveries.connection
        try await connection.guardedQuery("BEGIN", logger: logger)
        do {
            let batch = try await deliveries.claim(handler.name, limit: handler.batchSize ?? configuration.batchSize)
            let claimedAt = ContinuousClock.now
            var handled: [Int64] = []
            for group in Self.byTenant(batch) {
                if group.count > 1, handler.handlesTogether, group.allSatisfy({ $0.attempts == 0 }), try await attemptTogether(handler, group.map(\.event), on: connection) {
                    handled += group.map(\.event.id)
                    continue
                }
                for claimed in group {
                    do {
                        try await handleAlone(handler, claimed.event, on: connection)
                        handled.append(claimed.event.id)
                    } catch {
                        try await settleFailure(handler, claimed, error: error, deliveries)
                        break  // later events of this tenant wait for this one
                    }
                }
            }
            // Acknowledgements take effect at commit, together with the handler's effects.
            try await deliveries.acknowledge(handler.name, events: handled)
            try await connection.guardedQuery("COMMIT", logger: logger)
            if let metrics, !handled.isEmpty {
                let since = ContinuousClock.now - claimedAt
                let handledIDs = Set(handled)
                metrics.handled(handler.name, lags: batch.filter { handledIDs.contains($0.event.id) }.map { $0.age + since })
            }
            return batch.count
        } catch {
            _ = try? await connection.guardedQuery("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// A batch's deliveries by tenant, each tenant's in event order, tenants in order of their
    /// first event.
    static func byTenant(_ batch: [EventDeliveries.Claimed]) -> [[EventDeliveries.Claimed]] {
        var order: [String?] = []
        var groups: [String?: [EventDeliveries.Claimed]] = [:]
        for claimed in batch {
            if groups[claimed.event.tenantID] == nil { order.append(claimed.event.tenantID) }
            groups[claimed.event.tenantID, default: []].append(claimed)
        }
        return order.compactMap { groups[$0] }
    }

    /// Hands `events` (one tenant's) to the handler together in a savepoint; whether it
    /// succeeded. A handler's failure is undone and answered with false.
    private func attemptTogether(_ handler: any EventHandler, _ events: [ChangeEvent], on connection: PostgresConnection) async throws -> Bool {
        do {
            try await inSavepoint(events[0].tenantID, on: connection) {
                try await handler.handle(events, in: HandlerTransaction(connection: connection, logger: logger))
            }
            return true
        } catch let error as HandlerFailure {
            throw error.underlying
        } catch {
            logger.debug("a batch failed; handling its events one by one",
                         metadata: ["handler": "\(handler.name)", "error": "\(error)"])
            return false
        }
    }

    private func handleAlone(_ handler: any EventHandler, _ event: ChangeEvent, on connection: PostgresConnection) async throws {
        try await inSavepoint(event.tenantID, on: connection) {
            try await handler.handle([event], in: HandlerTransaction(connection: connection, logger: logger))
        }
    }

    /// Runs `body` in a savepoint under the reader's role and `tenant`: released on success,
    /// rolled back on failure (settings included). A failure of the savepoint's own statements
    /// means the connection or transaction is lost, and is thrown as `HandlerFailure`.
    private func inSavepoint(_ tenant: String?, on connection: PostgresConnection, _ body: () async throws -> Void) async throws {
        do {
            try await connection.guardedQuery("SAVEPOINT strata_handler", logger: logger)
            if let role = configuration.role {
                try await connection.guardedQuery("SELECT set_config('role', \(role), true), set_config('app.tenant_id', \(tenant ?? ""), true), set_config('app.user_id', '', true)", logger: logger)
            } else {
                try await connection.guardedQuery("SELECT set_config('app.tenant_id', \(tenant ?? ""), true), set_config('app.user_id', '', true)", logger: logger)
            }
        } catch {
            throw HandlerFailure(underlying: error)
        }
        do {
            try await body()
        } catch {
            do {
                try await connection.guardedQuery("ROLLBACK TO SAVEPOINT strata_handler", logger: logger)
            } catch let lost {
                throw HandlerFailure(underlying: lost)
            }
            throw error
        }
        do {
            if configuration.role != nil { try await connection.guardedQuery("RESET ROLE", logger: logger) }
            try await connection.guardedQuery("RELEASE SAVEPOINT strata_handler", logger: logger)
        } catch {
            throw HandlerFailure(underlying: error)
        }
    }

    /// Records a failed delivery: retried after a pause, or kept as a dead letter.
    private func settleFailure(_ handler: any EventHandler, _ claimed: EventDeliveries.Claimed, error: any Error,
                               _ deliveries: EventDeliveries) async throws {
        if let failure = error as? HandlerFailure { throw failure.underlying }
        let decision = (handler.retryPolicy ?? configuration.retry).jitteredDecision(afterFailedAttempt: claimed.attempts + 1)
        let delay: Duration? = if case .retry(let after) = decision { after } else { nil }
        metrics?.failed(handler.name, dead: delay == nil)
        if delay == nil {
            logger.error("event handler gave up; the delivery is a dead letter",
                         metadata: ["handler": "\(handler.name)", "event": "\(claimed.event.id)", "error": "\(error)"])
        }
        try await deliveries.fail(handler.name, event: claimed.event.id, error: Self.describe(error), retryAfter: delay)
    }
}

extension EventReader {
    /// What a failed delivery records for the operator: PostgreSQL's own message for a database
    /// error (PSQLError hides it from `description`).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = error.serverInfo?[.detail].map { ": \($0)" } ?? ""
            return message + detail + code
        }
        return String(describing: error)
    }
}

/// The reader's own statements failed around a handler: the transaction is lost, not the event.
struct HandlerFailure: Error {
    var underlying: any Error
}
