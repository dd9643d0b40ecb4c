import Database
import Events
import GraphQLLanguage
import GraphQLTypeSystem
import Logging
import Planner
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The live queries and streams of this process, in cohorts, woken by the change feed: each
/// change it sees committed (whoever wrote: this process, another one, plain SQL) names a tenant
/// and a table, and each cohort and stream whose tenant and tables match reads again. The event
/// channel's streams wait until the change is settled (see `ChangeFeed`).
public final class SubscriptionHub: Service, Sendable {
    private struct State {
        var cohorts: [LiveCohort.Key: LiveCohort] = [:]
        var memberships: [Int: LiveCohort.Key] = [:]
        var streams: [Int: LiveStream] = [:]
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
    }

    /// Who holds a membership: the operation it runs, checked again when the project is
    /// reloaded, and how to end it when it no longer validates.
    struct Subscriber: Sendable {
        let request: GraphQLRequest
        let session: Session
        let end: @Sendable ([GraphQLError]) -> Void
    }

    /// The process's change feed; nil: the hub follows one of its own.
    let feed: ChangeFeed?
    private let ownFeed: ChangeFeed
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

    public init(endpoint: DatabaseEndpoint, refreshPools: SessionPools? = nil, feed: ChangeFeed? = nil, logger: Logger) {
        self.feed = feed
        self.ownFeed = feed ?? ChangeFeed(endpoint: endpoint, logger: logger)
        self.refreshPools = refreshPools
        self.logger = logger
    }

    /// Whether it is following changes now.
    public var isListening: Bool { ownFeed.isFollowing }

    var changesSoFar: Int { announced.load(ordering: .acquiring) }

    /// Keeps `prepared` (a subscription whose first result `first` was computed when
    /// `changesSoFar` was `seen`) up to date in its cohort; returns the membership to `leave`.
    func join(_ prepared: GraphQLExecutor.Prepared, first: String, seen: Int, service: SocketService, executor: any TaskExecutor,
              subscriber: Subscriber? = nil, deliver: @escaping @Sendable (String) -> Void) -> Int? {
        guard let plan = prepared.entry.plan.cohort, let sql = prepared.entry.plan.sql else { return nil }
        let key = LiveCohort.Key(sql: sql, role: prepared.session.role, tenant: prepared.session.tenantID)
        let (id, cohort) = state.withLock { state in
            state.nextID += 1
            let cohort = state.cohorts[key] ?? LiveCohort(key: key, tables: prepared.readTables, plan: plan,
                                                          interval: service.settings.liveRefreshInterval, executor: executor, service: service,
                                                          counters: counters)
            state.cohorts[key] = cohort
            state.memberships[state.nextID] = key
            state.subscribers[state.nextID] = subscriber
            cohort.add(state.nextID, prepared: prepared, first: first, deliver: deliver)
            return (state.nextID, cohort)
        }
        if changesSoFar != seen { cohort.changed() }
        return id
    }

    /// Starts `stream` and wakes it on its tables' changes; returns the membership to `leave`.
    func join(_ stream: LiveStream, subscriber: Subscriber? = nil) -> Int {
        let id = state.withLock { state in
            state.nextID += 1
            state.streams[state.nextID] = stream
            state.subscribers[state.nextID] = subscriber
            return state.nextID
        }
        stream.changed()
        return id
    }

    func leave(_ id: Int) {
        state.withLock { state in
            state.subscribers.removeValue(forKey: id)
            if let stream = state.streams.removeValue(forKey: id) { return stream.stop() }
            guard let key = state.memberships.removeValue(forKey: id), let cohort = state.cohorts[key] else { return }
            if cohort.remove(id) { state.cohorts.removeValue(forKey: key) }
        }
    }

    /// Subscriptions kept up to date now, by role: live queries (members of cohorts) and
    /// streams (the event channel's among them).
    public var subscriptionsByRole: [String: (live: Int, streams: Int)] {
        state.withLock { state in
            var counts: [String: (live: Int, streams: Int)] = [:]
            for key in state.memberships.values { counts[key.role, default: (0, 0)].live += 1 }
            for stream in state.streams.values { counts[stream.role, default: (0, 0)].streams += 1 }
            return counts
        }
    }

    /// After a reload: every subscription's operation checked against `executor`'s APIs; those
    /// that no longer validate (or plan) leave and are told why. Returns how many ended.
    func revalidate(with executor: GraphQLExecutor) -> Int {
        let subscribers = state.withLock { $0.subscribers }
        var ended = 0
        for (id, subscriber) in subscribers.sorted(by: { $0.key < $1.key }) {
            let errors: [GraphQLError]
            switch executor.prepare(subscriber.request, session: subscriber.session, subscriptions: true) {
            case .ready: continue
            case .refused(let refused): errors = refused.errors
            case .readOnlyRequest: continue
            }
            leave(id)
            let notice = GraphQLError("The server's API was reloaded and this subscription no longer validates against it.", code: ErrorCode.validationFailed)
            subscriber.end([notice] + errors)
            ended += 1
        }
        return ended
    }

    /// Cohort refreshes since start.
    public var refreshes: Int { counters.refreshes.load(ordering: .relaxed) }

    /// How many cohorts and members there are now.
    var counts: (cohorts: Int, members: Int) {
        state.withLock { ($0.cohorts.count, $0.memberships.count + $0.streams.count) }
    }

    /// What the feed saw: committed changes wake cohorts and streams, settled ones the event
    /// channel's streams.
    func changed(_ update: ChangeFeed.Update) {
        announced.add(1, ordering: .releasing)
        func matches(_ tables: Set<String>, _ own: String?, in changes: Set<ChangeFeed.Change>) -> Bool {
            changes.contains { tables.contains($0.table) && (own == nil || $0.tenant == nil || own == $0.tenant) }
        }
        let (cohorts, streams) = state.withLock { state in
            (state.cohorts.values.filter { matches($0.tables, $0.key.tenant, in: update.fresh) },
             state.streams.values.filter { matches($0.tables, $0.tenant, in: $0.followsSettledChanges ? update.settled : update.fresh) })
        }
        for cohort in cohorts { cohort.changed() }
        for stream in streams { stream.changed() }
    }

    public func run() async throws {
        // Its WebSocket connections are closed by then (the HTTP server stops first).
        let token = ownFeed.follow { [weak self] update in self?.changed(update) }
        defer { ownFeed.unfollow(token) }
        if feed == nil {
            try await ownFeed.run()
        } else {
            try? await gracefulShutdown()
        }
    }
}
