/// The bookkeeping of a pool whose connections keep session-level settings: which connections
/// are idle and with which settings, who waits, when to open another. Pure state — its methods
/// return what the caller must do — so every interleaving can be tested without a database.
///
/// A lease prefers an idle connection whose settings already match (no round trip to set
/// them), then any idle connection (its settings re-set), then a new connection, then waiting.
/// A released connection goes to a waiter whose settings match it if one is near the front of
/// the queue, else to the first waiter.
struct SessionPoolState<Settings: Hashable & Sendable, Waiter> {
    struct Connection {
        /// What the connection's session holds now; nil when unknown (never set, or a
        /// statement setting them failed part-way), so it matches no request.
        var settings: Settings?
    }

    enum LeaseAction {
        /// Use this connection; its settings must be set first unless `matches`.
        case use(id: Int, matches: Bool)
        /// Open a connection (its id reserved) and use it.
        case open(id: Int)
        /// Wait for a released connection.
        case wait
        /// Too many requests wait already: refuse this one at once.
        case refuse
    }

    enum ReleaseAction {
        /// Hand the connection to this waiter.
        case resume(Waiter, id: Int, matches: Bool)
        case idle
    }

    let maximumConnections: Int
    /// How far past the queue's head a release looks for a waiter with matching settings;
    /// bounds how often the head can be passed over.
    let matchWindow: Int
    /// The most requests that may wait; more are refused rather than queued without bound.
    let maximumWaiters: Int
    private(set) var connections: [Int: Connection] = [:]
    /// Idle connection ids, least recently released first.
    private var idle: [Int] = []
    private var waiters: [(id: Int, settings: Settings, waiter: Waiter)] = []
    private var nextConnectionID = 0

    init(maximumConnections: Int, matchWindow: Int = 8, maximumWaiters: Int = .max) {
        // The pool size comes from the operator's configuration, checked when it is read.
        precondition(maximumConnections > 0)
        self.maximumConnections = maximumConnections
        self.matchWindow = matchWindow
        self.maximumWaiters = maximumWaiters
    }

    var idleCount: Int { idle.count }
    var waiterCount: Int { waiters.count }

    /// A request for a connection with `settings`. On `.wait`, `waiter` is queued under
    /// `requestID` until a release hands it a connection or `cancel` removes it; without a
    /// waiter nothing is queued (the caller asks again with one).
    mutating func lease(requestID: Int, settings: Settings, waiter: Waiter?) -> LeaseAction {
        if let index = idle.firstIndex(where: { connections[$0]?.settings == settings }) {
            return .use(id: idle.remove(at: index), matches: true)
        }
        if !idle.isEmpty {
            return .use(id: idle.removeFirst(), matches: false)
        }
        if connections.count < maximumConnections {
            let id = nextConnectionID
            nextConnectionID += 1
            connections[id] = Connection(settings: nil)
            return .open(id: id)
        }
        guard waiters.count < maximumWaiters else { return .refuse }
        if let waiter { waiters.append((requestID, settings, waiter)) }
        return .wait
    }

    /// The holder of connection `id` is done; `settings` is what the session holds now.
    mutating func release(id: Int, settings: Settings?) -> ReleaseAction {
        guard connections[id] != nil else { return .idle }
        connections[id]?.settings = settings
        if !waiters.isEmpty {
            let window = waiters.prefix(matchWindow)
            let index = settings.flatMap { current in window.firstIndex { $0.settings == current } } ?? waiters.startIndex
            let next = waiters.remove(at: index)
            return .resume(next.waiter, id: id, matches: settings != nil && next.settings == settings)
        }
        idle.append(id)
        return .idle
    }

    /// Connection `id` is gone (it failed to open, broke, or was retired). A waiter, if any,
    /// may now open a replacement.
    mutating func remove(id: Int) -> (waiter: Waiter, openID: Int)? {
        connections[id] = nil
        idle.removeAll { $0 == id }
        guard !waiters.isEmpty, connections.count < maximumConnections else { return nil }
        let next = waiters.removeFirst()
        let newID = nextConnectionID
        nextConnectionID += 1
        connections[newID] = Connection(settings: nil)
        return (next.waiter, newID)
    }

    /// A waiting request gave up; its waiter, if it was still queued.
    mutating func cancel(requestID: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == requestID }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// Shutting down: every waiter, and the idle connections to close.
    mutating func drain() -> (waiters: [Waiter], idle: [Int]) {
        let queued = waiters.map(\.waiter)
        waiters.removeAll()
        let idleIDs = idle
        for id in idle { connections[id] = nil }
        idle.removeAll()
        return (queued, idleIDs)
    }
}
