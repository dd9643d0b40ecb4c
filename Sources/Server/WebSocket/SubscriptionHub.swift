import Database
import GraphQLTypeSystem
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The live queries of this process, woken by PostgreSQL's `strata_events` notifications: the
/// capture trigger sends one per transaction, tenant and table it changed, whoever wrote (this
/// process, another one, plain SQL). Each live query whose tenant and tables match is asked to
/// refresh. After its listening connection was lost, every live query refreshes once — a
/// notification may have been missed meanwhile.
public final class SubscriptionHub: Service, Sendable {
    private struct State {
        var queries: [Int: LiveQuery] = [:]
        var nextID = 0
    }

    let endpoint: DatabaseEndpoint
    let logger: Logger
    private let state = Mutex(State())

    public init(endpoint: DatabaseEndpoint, logger: Logger) {
        self.endpoint = endpoint
        self.logger = logger
    }

    /// Starts waking `query` on its tables' changes; returns its registration.
    func register(_ query: LiveQuery) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.queries[state.nextID] = query
            return state.nextID
        }
    }

    func unregister(_ id: Int) {
        _ = state.withLock { $0.queries.removeValue(forKey: id) }
    }

    /// Table `table` changed in `tenant` (nil: a table without tenants).
    func changed(tenant: String?, table: String) {
        let woken = state.withLock { state in
            state.queries.values.filter { $0.tables.contains(table) && ($0.tenant == nil || tenant == nil || $0.tenant == tenant) }
        }
        for query in woken { query.changed() }
    }

    private func refreshAll() {
        for query in state.withLock({ Array($0.queries.values) }) { query.changed() }
    }

    public func run() async throws {
        // Its WebSocket connections are closed by then (the HTTP server stops first).
        try await cancelWhenGracefulShutdown { await self.listen() }
    }

    /// Listens until cancelled, reconnecting after a lost connection.
    private func listen() async {
        var connectedBefore = false
        while !Task.isCancelled {
            let reconnecting = connectedBefore
            connectedBefore = true
            do {
                try await endpoint.withConnection(logger: logger) { connection in
                    let notifications = try await connection.listen("strata_events")
                    if reconnecting { refreshAll() }
                    for try await notification in notifications { received(notification.payload) }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for changes failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// `{"tenant_id": …, "table": …}`; anything else (a delivery retry's wake-up) is no change.
    private func received(_ payload: String) {
        guard case .object(let members)? = try? JSONValue.parse(payload),
              case .string(let table)? = members.first(where: { $0.0 == "table" })?.1 else { return }
        var tenant: String?
        if case .string(let value)? = members.first(where: { $0.0 == "tenant_id" })?.1 { tenant = value }
        changed(tenant: tenant, table: table)
    }
}

/// One subscriber's live query: its tenant and tables for the hub, and its refresh — at most one
/// at a time and at most one per `interval`, coalescing the changes in between; a result equal
/// to the last one sent is not sent again.
final class LiveQuery: Sendable {
    private struct State {
        var running = false
        var dirty = false
        var stopped = false
        var last: String
        var lastRun = ContinuousClock.now
    }

    let tenant: String?
    let tables: Set<String>
    private let interval: Duration
    private let executor: any TaskExecutor
    private let refresh: @Sendable () async -> String
    private let deliver: @Sendable (String) -> Void
    private let state: Mutex<State>

    init(tenant: String?, tables: Set<String>, first: String, interval: Duration, executor: any TaskExecutor,
         refresh: @escaping @Sendable () async -> String, deliver: @escaping @Sendable (String) -> Void) {
        self.tenant = tenant
        self.tables = tables
        self.interval = interval
        self.executor = executor
        self.refresh = refresh
        self.deliver = deliver
        self.state = Mutex(State(last: first))
    }

    func stop() {
        state.withLock { $0.stopped = true }
    }

    /// A table it reads changed: refresh, now or after the one under way.
    func changed() {
        let delay = state.withLock { state -> Duration? in
            guard !state.stopped else { return nil }
            guard !state.running else {
                state.dirty = true
                return nil
            }
            state.running = true
            return max(.zero, state.lastRun + interval - .now)
        }
        guard let delay else { return }
        Task(executorPreference: executor) { [self] in
            if delay > .zero { try? await Task.sleep(for: delay) }
            state.withLock { $0.lastRun = .now }
            let result = await refresh()
            let (send, again) = state.withLock { state -> (Bool, Bool) in
                state.running = false
                let again = state.dirty && !state.stopped
                state.dirty = false
                guard !state.stopped, result != state.last else { return (false, again) }
                state.last = result
                return (true, again)
            }
            if send { deliver(result) }
            if again { changed() }
        }
    }
}
