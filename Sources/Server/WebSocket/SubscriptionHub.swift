import Database
import GraphQLTypeSystem
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The live queries of this process, in cohorts, woken by PostgreSQL's `strata_events`
/// notifications: the capture trigger sends one per transaction, tenant and table it changed,
/// whoever wrote (this process, another one, plain SQL). Each cohort whose tenant and tables
/// match refreshes. After its listening connection was lost, every cohort refreshes once — a
/// notification may have been missed meanwhile.
public final class SubscriptionHub: Service, Sendable {
    private struct State {
        var cohorts: [LiveCohort.Key: LiveCohort] = [:]
        var memberships: [Int: LiveCohort.Key] = [:]
        var streams: [Int: LiveStream] = [:]
        var nextID = 0
    }

    let endpoint: DatabaseEndpoint
    let logger: Logger
    /// Where cohorts refresh: connections of their own, so a burst of refreshes never keeps
    /// requests waiting; nil shares the requests' pool.
    let refreshPools: SessionPools?
    private let state = Mutex(State())
    /// How many changes were announced so far: a subscriber notes it before its first result,
    /// and refreshes at once on joining if a change came in between.
    private let announced = Atomic(0)
    /// Cohort refreshes and the statements they ran, counted since start.
    let counters = LiveCounters()

    public init(endpoint: DatabaseEndpoint, refreshPools: SessionPools? = nil, logger: Logger) {
        self.endpoint = endpoint
        self.refreshPools = refreshPools
        self.logger = logger
    }

    /// Whether it is listening for changes now.
    public var isListening: Bool { listening.load(ordering: .acquiring) }
    private let listening = Atomic(false)

    var changesSoFar: Int { announced.load(ordering: .acquiring) }

    /// Keeps `prepared` (a subscription whose first result `first` was computed when
    /// `changesSoFar` was `seen`) up to date in its cohort; returns the membership to `leave`.
    func join(_ prepared: GraphQLExecutor.Prepared, first: String, seen: Int, service: SocketService, executor: any TaskExecutor,
              deliver: @escaping @Sendable (String) -> Void) -> Int? {
        guard let plan = prepared.entry.plan.cohort, let sql = prepared.entry.plan.sql else { return nil }
        let key = LiveCohort.Key(sql: sql, role: prepared.session.role, tenant: prepared.session.tenantID)
        let (id, cohort) = state.withLock { state in
            state.nextID += 1
            let cohort = state.cohorts[key] ?? LiveCohort(key: key, tables: prepared.readTables, plan: plan,
                                                          interval: service.settings.liveRefreshInterval, executor: executor, service: service,
                                                          counters: counters)
            state.cohorts[key] = cohort
            state.memberships[state.nextID] = key
            cohort.add(state.nextID, prepared: prepared, first: first, deliver: deliver)
            return (state.nextID, cohort)
        }
        if changesSoFar != seen { cohort.changed() }
        return id
    }

    /// Starts `stream` and wakes it on its tables' changes; returns the membership to `leave`.
    func join(_ stream: LiveStream) -> Int {
        let id = state.withLock { state in
            state.nextID += 1
            state.streams[state.nextID] = stream
            return state.nextID
        }
        stream.changed()
        return id
    }

    func leave(_ id: Int) {
        state.withLock { state in
            if let stream = state.streams.removeValue(forKey: id) { return stream.stop() }
            guard let key = state.memberships.removeValue(forKey: id), let cohort = state.cohorts[key] else { return }
            if cohort.remove(id) { state.cohorts.removeValue(forKey: key) }
        }
    }

    /// How many cohorts and members there are now.
    var counts: (cohorts: Int, members: Int) {
        state.withLock { ($0.cohorts.count, $0.memberships.count + $0.streams.count) }
    }

    /// Table `table` changed in `tenant` (nil: a table without tenants).
    func changed(tenant: String?, table: String) {
        announced.add(1, ordering: .releasing)
        func matches(_ tables: Set<String>, _ own: String?) -> Bool {
            tables.contains(table) && (own == nil || tenant == nil || own == tenant)
        }
        let (cohorts, streams) = state.withLock { state in
            (state.cohorts.values.filter { matches($0.tables, $0.key.tenant) }, state.streams.values.filter { matches($0.tables, $0.tenant) })
        }
        for cohort in cohorts { cohort.changed() }
        for stream in streams { stream.changed() }
    }

    private func refreshAll() {
        announced.add(1, ordering: .releasing)
        let (cohorts, streams) = state.withLock { (Array($0.cohorts.values), Array($0.streams.values)) }
        for cohort in cohorts { cohort.changed() }
        for stream in streams { stream.changed() }
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
                    listening.store(true, ordering: .releasing)
                    defer { listening.store(false, ordering: .releasing) }
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
