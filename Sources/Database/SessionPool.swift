import Logging
import NIOCore
import NIOPosix
import SQL
import ServiceLifecycle
import Synchronization

/// Connections to PostgreSQL for requests, each running with its request's settings (role,
/// tenant, user, claims).
///
/// Round trips are what a request costs, so in the default `session` scope a connection keeps
/// the last settings it was given and the pool hands a request an idle connection whose
/// settings already match, setting them (one statement, binds only) only on a mismatch. The
/// `transaction` scope wraps every request in `BEGIN … COMMIT` with transaction-local settings,
/// as PgBouncer's transaction pooling needs. Statements are prepared once per connection.
///
/// Why a request can never run with another's settings: a connection's recorded settings
/// change only after the statement that set them succeeded; when that statement fails or is
/// interrupted they become unknown and match nothing, so the next lease sets them again. A
/// connection is leased to one request at a time. And the planner binds the session's tenant
/// into the SQL, so even a wrong setting would yield no rows rather than another tenant's.
public final class SessionPool: Service, Sendable {
    public struct Configuration: Sendable {
        public var endpoint: DatabaseEndpoint
        public var maximumConnections: Int
        public var scope: ConnectionSettings.Scope
        /// `statement_timeout` for every statement, in milliseconds.
        public var statementTimeoutMilliseconds: Int
        /// The roles a request may assume; anything else is refused before reaching SQL.
        public var roles: Set<String>
        /// A connection is replaced after preparing this many distinct statements, which
        /// bounds the memory prepared plans hold on the server.
        public var preparedStatementLimit: Int
        /// How long a request waits for a connection before it is refused (`pool-exhausted`).
        public var acquireTimeout: Duration
        /// The most requests waiting for a connection; more are refused at once.
        public var maximumWaiting: Int
        /// When to stop trying a database that keeps failing to connect.
        public var breaker: CircuitBreaker.Configuration
        /// PostgreSQL's `plan_cache_mode` for its connections; nil leaves the server's default.
        public var planCacheMode: String?
        /// Whether concurrent requests of one query with the same settings that would wait for
        /// a connection run as one statement (session scope only).
        public var coalescesRequests = true
        /// The most coalescible reads running at once; past it reads wait and coalesce even
        /// while connections are free (the rest stay for writes). For a database whose cores
        /// are all busy, more reads at once only take turns on them. Nil: as many as connections.
        public var concurrentReads: Int?
        /// The most single-statement writes running at once; past it writes of the same
        /// settings wait and run together, one round trip and one commit for many. Nil: as
        /// many as connections.
        public var concurrentWrites: Int?

        public init(endpoint: DatabaseEndpoint, maximumConnections: Int = 8, scope: ConnectionSettings.Scope = .session,
                    statementTimeoutMilliseconds: Int = 5_000, roles: Set<String>, preparedStatementLimit: Int = 1_000,
                    acquireTimeout: Duration = .seconds(2), maximumWaiting: Int = 1_024,
                    breaker: CircuitBreaker.Configuration = CircuitBreaker.Configuration()) {
            self.endpoint = endpoint
            self.maximumConnections = maximumConnections
            self.scope = scope
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
            self.roles = roles
            self.preparedStatementLimit = preparedStatementLimit
            self.acquireTimeout = acquireTimeout
            self.maximumWaiting = maximumWaiting
            self.breaker = breaker
        }
    }

    /// A connection lent to one request.
    struct Lease: Sendable {
        let id: Int
        let connection: WireConnection
        /// Whether the connection already holds the request's settings.
        let matches: Bool
    }

    struct Live: Sendable {
        var connection: WireConnection
    }

    /// A request waiting for a connection, and the timer that ends its wait: cancelled when the
    /// wait ends otherwise, so the loop's timers hold only waits under way.
    struct Waiter: Sendable {
        let continuation: CheckedContinuation<Grant, any Error>
        let timeout: Scheduled<Void>

        func resume(returning grant: Grant) {
            timeout.cancel()
            continuation.resume(returning: grant)
        }

        func resume(throwing error: any Error) {
            timeout.cancel()
            continuation.resume(throwing: error)
        }
    }

    struct Storage: ~Copyable {
        var state: SessionPoolState<ConnectionSettings, Waiter>
        var live: [Int: Live] = [:]
        var nextRequestID = 0
        var isShutDown = false
        var breaker: CircuitBreaker
        var counts = Counts()
    }

    /// What the pool has done since it started, for metrics.
    public struct Counts: Sendable, Equatable {
        /// Settings statements run: on a connection whose session held other settings, or on
        /// every request in the `transaction` scope.
        public var settingsSwitches = 0
        /// Requests refused for want of a connection (`pool-exhausted`).
        public var exhausted = 0
        /// Requests refused at once by the open circuit breaker.
        public var breakerRefusals = 0
        /// Connections opened.
        public var opened = 0
        /// Statements that each answered several coalesced requests, and those requests.
        public var batches = 0
        public var coalescedRequests = 0

        public init() {}

        static func + (lhs: Counts, rhs: Counts) -> Counts {
            var sum = lhs
            sum.settingsSwitches += rhs.settingsSwitches
            sum.exhausted += rhs.exhausted
            sum.breakerRefusals += rhs.breakerRefusals
            sum.opened += rhs.opened
            sum.batches += rhs.batches
            sum.coalescedRequests += rhs.coalescedRequests
            return sum
        }
    }

    public var counts: Counts { storage.withLock { $0.counts } }

    /// A request refused because too many wait already, counted with the pool's own refusals.
    public func refuseExhausted() -> SessionPoolError {
        count { $0.exhausted += 1 }
        return .poolExhausted
    }

    /// One statement answered `requests` coalesced requests.
    public func countBatch(of requests: Int) {
        count { counts in
            counts.batches += 1
            counts.coalescedRequests += requests
        }
    }

    func count(_ change: (inout Counts) -> Void) {
        storage.withLock { change(&$0.counts) }
    }

    public let configuration: Configuration
    /// The loop the pool's connections live on, and its timers run on.
    let eventLoop: any EventLoop
    /// Runs a statement's check and write on that loop; requests that prefer it reach their
    /// connections with no hop to another thread.
    public let executor: EventLoopExecutor
    let logger: Logger
    let storage: Mutex<Storage>
    /// The statements that set a request's settings for the session, or for one transaction.
    let sessionSettingsStatement: PreparedSQL
    let transactionSettingsStatement: PreparedSQL

    /// - Parameter eventLoop: where the connections live; a request running on the same loop
    ///   reaches its connection with no hop to another thread.
    public init(configuration: Configuration, eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any(), logger: Logger) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.executor = EventLoopExecutor.of(eventLoop)
        self.logger = logger
        self.storage = Mutex(Storage(state: SessionPoolState(maximumConnections: configuration.maximumConnections,
                                                             maximumWaiters: configuration.maximumWaiting),
                                     breaker: CircuitBreaker(configuration: configuration.breaker)))
        let sample = ConnectionSettings(role: "r", tenantID: "t", userID: "u", claims: "c")
        self.sessionSettingsStatement = PreparedSQL(SQLRenderer.render(sample.statement(scope: .session)).text)
        self.transactionSettingsStatement = PreparedSQL(SQLRenderer.render(sample.statement(scope: .transaction)).text)
    }

    /// A pool dropped without `shutdown` (a caller that failed part-way) still closes what it holds.
    deinit {
        let connections = storage.withLock { storage in storage.live.values.map(\.connection) }
        for connection in connections { connection.closeSoon() }
    }

    /// Runs until shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        let (waiters, idle) = storage.withLock { storage -> ([Waiter], [WireConnection]) in
            storage.isShutDown = true
            let drained = storage.state.drain()
            let connections = drained.idle.compactMap { storage.live.removeValue(forKey: $0)?.connection }
            return (drained.waiters, connections)
        }
        for waiter in waiters { waiter.resume(throwing: SessionPoolError.shutDown) }
        for connection in idle { await connection.close() }
    }

    /// Connections open now, idle ones, and requests waiting.
    public var statistics: (open: Int, idle: Int, waiting: Int) {
        storage.withLock { ($0.state.connections.count, $0.state.idleCount, $0.state.waiterCount) }
    }

    /// Whether the circuit breaker refuses requests now.
    public var isBreakerOpen: Bool {
        storage.withLock { $0.breaker.isOpen }
    }
}

public enum SessionPoolError: Error, Sendable, Equatable {
    case shutDown
    case roleNotAllowed(String)
    /// The database cannot be reached (the circuit breaker is open); try again after this long.
    case databaseUnavailable(retryAfter: Duration)
    /// No connection became free within the acquire timeout, or too many requests wait.
    case poolExhausted
    /// The connection broke (the server restarted or the network failed) before the
    /// statement was sent.
    case connectionLost
    /// A statement with more parameters than PostgreSQL's protocol carries; never sent.
    case tooManyParameters(Int)
}
