import Database
import Foundation
import GraphQLLanguage
import NIOCore
import Planner

/// The numbers of GraphQL over WebSocket (`server.websocket_*` in `strata.yaml`).
public struct SocketSettings: Sendable {
    /// How long a new connection has to send `connection_init` (then 4408).
    public var initTimeout: Duration
    /// How often the server pings (graphql-transport-ws) or sends `ka` (graphql-ws); two pings
    /// without a pong close the connection with 4408.
    public var pingInterval: Duration
    /// The largest message a client may send, in bytes (then close code 1009).
    public var maxMessageBytes: Int
    /// The shortest time between two refreshes of one live query; changes in between are
    /// coalesced into the next refresh.
    public var liveRefreshInterval: Duration
    /// The most WebSocket connections one tenant may hold at once.
    public var maxConnectionsPerTenant: Int
    /// The most subscription results per second sent to one tenant's connections together.
    public var maxMessagesPerSecondPerTenant: Int

    public init(initTimeout: Duration = .seconds(3), pingInterval: Duration = .seconds(30), maxMessageBytes: Int = 1 << 20,
                liveRefreshInterval: Duration = .milliseconds(50), maxConnectionsPerTenant: Int = 1_000,
                maxMessagesPerSecondPerTenant: Int = 200) {
        self.maxMessagesPerSecondPerTenant = maxMessagesPerSecondPerTenant
        self.initTimeout = initTimeout
        self.pingInterval = pingInterval
        self.maxMessageBytes = maxMessageBytes
        self.liveRefreshInterval = liveRefreshInterval
        self.maxConnectionsPerTenant = maxConnectionsPerTenant
    }
}

/// What every GraphQL WebSocket connection shares: the executor and authenticator of HTTP
/// requests, the hub of live queries, and the settings.
public struct SocketService: Sendable {
    let served: ServedAPI
    var executor: GraphQLExecutor { served.executor }
    var authenticator: TokenAuthenticator { served.authenticator }
    let hub: SubscriptionHub?
    let settings: SocketSettings
    let tenants: TenantConnections
    let messageRates: TenantMessageRates
    let log: RequestLog
    let counters = SocketCounters()
    /// The same rate limits as HTTP requests: each operation counts.
    let rateLimiter: RateLimiter?
    /// Where operations' spans go (each operation is a trace of its own, a child of the upgrade
    /// request's `traceparent`); nil: nothing is traced.
    let tracing: RequestTracing?

    init(executor: GraphQLExecutor, authenticator: TokenAuthenticator, hub: SubscriptionHub?, settings: SocketSettings, log: RequestLog? = nil,
         rateLimiter: RateLimiter? = nil) {
        self.init(served: ServedAPI(executor: executor, authenticator: authenticator), hub: hub, settings: settings, log: log, rateLimiter: rateLimiter)
    }

    init(served: ServedAPI, hub: SubscriptionHub?, settings: SocketSettings, log: RequestLog? = nil, rateLimiter: RateLimiter? = nil,
         tracing: RequestTracing? = nil) {
        self.rateLimiter = rateLimiter
        self.tracing = tracing
        self.served = served
        let executor = served.executor
        self.hub = hub
        self.settings = settings
        self.log = log ?? RequestLog.unlogged(executor.metrics)
        self.tenants = TenantConnections(cap: settings.maxConnectionsPerTenant)
        self.messageRates = TenantMessageRates(perSecond: settings.maxMessagesPerSecondPerTenant)
    }

    /// What running an operation came to.
    enum Outcome: Sendable {
        /// Answered for good: a query's or mutation's result, or a refusal.
        case answered(SocketMachine.Input)
        /// A subscription's first result; it lives on, refreshed by re-running `prepared`.
        /// `seen`: the hub's count of changes before the first result was read.
        case live(first: String, GraphQLExecutor.Prepared, seen: Int)
        /// A stream subscription, ready to read its first batch.
        case stream(GraphQLExecutor.Prepared, StreamPlan)
    }

    /// Runs one operation as a POST would run it, and says what the protocol should answer. A
    /// large one (`large`: its message passed `GraphQLEndpoint.loopBodyLimit`) is planned on
    /// Swift's shared pool, as a large POST is, so it does not hold up the loop.
    func run(id: String, _ request: GraphQLRequest, session: Session, address: String?, trace: TraceContext? = nil, large: Bool,
             cancellation: QueryCancellation) async -> Outcome {
        let started = ContinuousClock.now
        var report = RequestReport(requestID: RequestID.make(), transport: .websocket)
        let operationTrace = tracing?.begin("graphql operation", traceparent: trace?.traceparent)
        report.trace = operationTrace?.context ?? trace
        report.role = session.role
        report.tenant = session.tenantID
        let outcome = await run(id: id, request, session: session, address: address, large: large, cancellation: cancellation,
                                report: &report, trace: operationTrace)
        log.finished(report, duration: .now - started)
        operationTrace?.finish(report)
        return outcome
    }

    private func run(id: String, _ request: GraphQLRequest, session: Session, address: String?, large: Bool,
                     cancellation: QueryCancellation, report: inout RequestReport, trace: RequestTrace?) async -> Outcome {
        let executor = self.executor
        let subscriptions = hub != nil
        let preparation = large
            ? await withTaskExecutorPreference(globalConcurrentExecutor) {
                executor.prepare(request, session: session, subscriptions: subscriptions, trace: trace)
            }
            : executor.prepare(request, session: session, subscriptions: subscriptions, trace: trace)
        var prepared: GraphQLExecutor.Prepared
        // Each operation counts against the rate limits, a refused one as one request.
        let cost: Int = if case .ready(let ready) = preparation { ready.cost } else { 1 }
        if let rateLimiter, let (error, _) = RateLimiter.refusal(rateLimiter.admit(session, address: address, cost: cost)) {
            report.outcome = .rateLimited
            return .answered(.refused(id: id, errors: [error]))
        }
        switch preparation {
        case .refused(let errors):
            report.outcome = .requestError
            return .answered(.refused(id: id, errors: errors.errors))
        case .readOnlyRequest:
            report.outcome = .requestError
            return .answered(.refused(id: id, errors: [GraphQLError("This operation cannot run here.", code: ErrorCode.badRequest)]))
        case .ready(let ready): prepared = ready
        }
        prepared.trace = report.trace
        report.operation = RequestMetrics.Operation(prepared.operation)
        report.operationName = prepared.operationName
        report.fingerprint = prepared.fingerprint
        if let stream = prepared.entry.plan.stream { return .stream(prepared, stream) }
        let seen = hub?.changesSoFar ?? 0
        let ran = ContinuousClock.now
        let querying = trace.map { _ in RequestTrace.now }
        let outcome = await executor.run(prepared, cancellation: cancellation)
        if prepared.needsDatabase {
            report.database = .now - ran
            trace?.stage("database", since: querying, kind: .client, attributes: GraphQLEndpoint.databaseAttributes(prepared))
        }
        let serializing = trace.map { _ in RequestTrace.now }
        defer { trace?.stage("serialize", since: serializing) }
        let result: String
        switch outcome {
        case .data(let data):
            result = "{\"data\":" + String(buffer: data) + "}"
        case .requestErrors(let errors):
            report.outcome = .requestError
            return .answered(.refused(id: id, errors: errors))
        case .executionErrors(let errors):
            report.outcome = RequestMetrics.Outcome(errors)
            result = Self.failed(errors)
        }
        report.bytes = result.utf8.count
        if prepared.operation == .subscription && prepared.needsDatabase {
            return .live(first: result, prepared, seen: seen)
        }
        return .answered(.executed(id: id, result: result))
    }

    /// The result object of running `prepared` (`{"data":…}`, or errors with null data), or the
    /// errors that refused it before it ran.
    func result(of prepared: GraphQLExecutor.Prepared, cancellation: QueryCancellation? = nil) async -> Result<String, RefusedErrors> {
        switch await executor.run(prepared, cancellation: cancellation) {
        case .data(let data): .success("{\"data\":" + String(buffer: data) + "}")
        case .requestErrors(let errors): .failure(RefusedErrors(errors: errors))
        case .executionErrors(let errors): .success(Self.failed(errors))
        }
    }

    /// A live query's next result: refusals too are sent as errors with null data.
    func refreshed(_ prepared: GraphQLExecutor.Prepared) async -> String {
        switch await result(of: prepared) {
        case .success(let result): result
        case .failure(let refused): Self.failed(refused.errors)
        }
    }

    static func failed(_ errors: [GraphQLError]) -> String {
        "{\"errors\":[" + errors.map(\.json).joined(separator: ",") + "],\"data\":null}"
    }

    struct RefusedErrors: Error {
        let errors: [GraphQLError]
    }

    /// The session of `authorization`, and when it ends (nil: it does not).
    func authenticate(_ authorization: String?) async -> Result<(Session, ContinuousClock.Instant?), RequestProblem> {
        do {
            let (session, expiry) = try await authenticator.verify(authorization: authorization)
            let ends = expiry.map { ContinuousClock.now + .milliseconds(Int64(max(0, $0 - Date().timeIntervalSince1970) * 1_000)) }
            return .success((session, ends))
        } catch {
            return .failure(error)
        }
    }
}
